from dataclasses import dataclass

__all__ = [
    "CompileError",
    "ConditionalFailure",
    "DefinitionError",
    "FlowgenError",
    "InputValidationError",
    "MapTaskError",
    "OutputValidationError",
    "PromiseError",
    "SourceLocation",
    "TaskError",
    "TaskTimeoutError",
    "ValidationError",
    "WiringError",
    "WorkflowFailuresError",
]

@dataclass(frozen=True)
class SourceLocation:
    file: str
    line: int
    column: int = 0

class FlowgenError(Exception):
    message: str
    location: SourceLocation | None
    workflow: str | None
    node: str | None
    task: str | None
    input: str | None
    hint: str | None
    handler_error: BaseException | None
    def with_handler_error(self, error: BaseException) -> FlowgenError: ...
    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        workflow: str | None = None,
        node: str | None = None,
        task: str | None = None,
        input: str | None = None,
        hint: str | None = None,
    ) -> None: ...

class CompileError(FlowgenError, AssertionError): ...
class DefinitionError(CompileError, TypeError, ValueError): ...
class PromiseError(CompileError, TypeError, ValueError): ...
class WiringError(CompileError, TypeError, ValueError): ...
class ValidationError(FlowgenError, TypeError, ValueError, AssertionError): ...
class InputValidationError(ValidationError): ...
class OutputValidationError(ValidationError): ...

class TaskError(FlowgenError):
    attempts: int
    task_traceback: str
    raised: type[BaseException] | None
    @classmethod
    def of(cls, raised: type[BaseException]) -> type[TaskError]: ...

class TaskTimeoutError(TaskError, TimeoutError): ...
class MapTaskError(FlowgenError, RuntimeError): ...
class ConditionalFailure(FlowgenError, ValueError): ...

class WorkflowFailuresError(FlowgenError, RuntimeError):
    errors: tuple[FlowgenError, ...]
