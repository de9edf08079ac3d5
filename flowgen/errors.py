"""The flowgen error hierarchy.

Every error flowgen raises on purpose derives from :class:`FlowgenError`, so a
caller can catch the whole family with one ``except``.  The tree mirrors *when*
a mistake is found:

==========================  ==============================================================
class                       raised when
==========================  ==============================================================
``CompileError``            a workflow (or a @dynamic body) is compiled to IR
  ``DefinitionError``       a task or workflow definition itself is unusable
  ``PromiseError``          a Promise is used where its value is needed
  ``WiringError``           inputs/outputs are wired with wrong names, counts or types
``ValidationError``         a value crossing a node boundary does not match its type
  ``InputValidationError``  a workflow or task input is rejected (before the task runs)
  ``OutputValidationError`` a task returned a value of the wrong type
``TaskError``               the body of a task raised; the original error is chained
  ``TaskTimeoutError``      a task ran longer than its ``timeout``
``MapTaskError``            too few items of a ``map_task`` succeeded
``ConditionalFailure``      a ``conditional(...).else_().fail(...)`` branch was taken
``WorkflowFailuresError``   more than one node failed in a run whose workflow has
                            ``failure_policy=FAIL_AFTER_EXECUTABLE_NODES_COMPLETE``
==========================  ==============================================================

A workflow's ``on_failure`` handler that fails too does not replace the error the run
raises: the original is raised, with the handler's error as its ``handler_error``
attribute and in its message.

Errors carry the facts a user needs to act as attributes (``workflow``, ``node``,
``task``, ``input``, ``location``) and spell them out in the message.

Each class also derives from the built-in exception flytekit raises in the same
situation, so code (and tests) written against flytekit that catch ``ValueError``,
``TypeError`` or ``AssertionError`` catch flowgen's errors too:

==========================  ===================================  ======================================
class                       also a                               as flytekit raises
==========================  ===================================  ======================================
``CompileError``            ``AssertionError``                   ill-formed conditionals and workflows
                                                                 (``if_(None)``, ``if_(p)``, no else)
``DefinitionError``         ``TypeError``, ``ValueError``        unusable annotations and options
``PromiseError``            ``TypeError``, ``ValueError``        ``len(p)``, ``p + 1``, iteration
                                                                 (TypeError); ``bool(p)`` (ValueError)
``WiringError``             ``TypeError``, ``ValueError``        mismatched types, unknown or missing
                                                                 inputs
``ValidationError``         ``TypeError``, ``ValueError``,       flytekit's TypeTransformerFailedError
                            ``AssertionError``                   (a value its type rejects)
``TaskError``               the task's own exception class       local execution re-raises the task's
                            (``except ValueError`` catches a     exception (a ``map_task`` item's too)
                            task that raised ``ValueError``)
``TaskTimeoutError``        ``TimeoutError``
``MapTaskError``            ``RuntimeError``
``ConditionalFailure``      ``ValueError``                       ``conditional(...).else_().fail(...)``
``WorkflowFailuresError``   ``RuntimeError``                     (flytekit stops at the first failure)
==========================  ===================================  ======================================

Only the classes change: every message is flowgen's own.
"""

from __future__ import annotations

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
    """A place in user source: 1-based line, 0-based column."""

    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class FlowgenError(Exception):
    """Base class of every error flowgen raises on purpose."""

    handler_error: BaseException | None = None  # the workflow's on_failure handler failed too

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
    ) -> None:
        self.message = message
        self.location = location
        self.workflow = workflow
        self.node = node
        self.task = task
        self.input = input
        self.hint = hint
        super().__init__(self._render())

    def __str__(self) -> str:
        # The message as given, whichever built-in exception a subclass also is (KeyError's own
        # __str__ would quote it).
        return str(self.args[0]) if len(self.args) == 1 else Exception.__str__(self)

    def _render(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        if self.handler_error is not None:
            text += f"\n  the failure handler failed too: {self.handler_error}"
        return text

    def with_handler_error(self, error: BaseException) -> FlowgenError:
        """Record that the workflow's ``on_failure`` handler failed too; the message says so."""
        self.handler_error = error
        self.args = (self._render(),)
        return self

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keep keyword-only facts when the error crosses a process boundary.
        return (_rebuild_error, (type(self), self.message, self.__dict__.copy()))


def _rebuild_error(cls: type[FlowgenError], message: str, state: dict[str, object]) -> FlowgenError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    err.args = (err._render(),)
    return err


class CompileError(FlowgenError, AssertionError):
    """A workflow or @dynamic body could not be compiled to IR."""


class DefinitionError(CompileError, TypeError, ValueError):
    """A task, workflow or type definition cannot be used by flowgen."""


class PromiseError(CompileError, TypeError, ValueError):
    """A Promise was used where its value is needed (it has none until run time)."""


class WiringError(CompileError, TypeError, ValueError):
    """Inputs or outputs are wired with unknown, missing, duplicate or ill-typed values."""


class ValidationError(FlowgenError, TypeError, ValueError, AssertionError):
    """A value crossing a node boundary does not match its declared type."""


class InputValidationError(ValidationError):
    """A workflow or task input was rejected before anything ran."""


class OutputValidationError(ValidationError):
    """A task returned a value that does not match its declared output type."""


class TaskError(FlowgenError):
    """The body of a task raised. The original exception is chained as ``__cause__``;
    ``task_traceback`` holds its traceback (the user's frames) as text, also across processes.

    ``TaskError.of(ValueError)`` is the TaskError that is also a ``ValueError`` (made once per
    exception class): what flowgen raises for a task that raised one, so ``except ValueError``
    catches it as with flytekit's local execution.
    """

    attempts: int = 1
    task_traceback: str = ""
    raised: type[BaseException] | None = None  # the task's exception class, for ``TaskError.of``

    @classmethod
    def of(cls, raised: type[BaseException]) -> type[TaskError]:
        if not issubclass(raised, Exception) or issubclass(raised, FlowgenError) or raised is Exception:
            return cls
        key = (cls, raised)
        made = _as_raised.get(key)
        if made is None:
            try:
                made = type(cls.__name__, (cls, raised), {"__module__": cls.__module__, "_made_for": cls,
                                                          "__qualname__": cls.__qualname__, "raised": raised})
            except TypeError:  # an exception class whose layout cannot be combined
                made = cls
            _as_raised[key] = made
        return made

    def __reduce__(self):  # type: ignore[no-untyped-def]
        base = type(self).__dict__.get("_made_for", type(self))
        return (_rebuild_task_error, (base, self.raised, self.message, self.__dict__.copy()))


_as_raised: dict[tuple[type, type], type[TaskError]] = {}


def _rebuild_task_error(base: type[TaskError], raised: type[BaseException] | None, message: str,
                        state: dict[str, object]) -> FlowgenError:
    return _rebuild_error(base.of(raised) if raised is not None else base, message, state)


class TaskTimeoutError(TaskError, TimeoutError):
    """A task ran longer than its ``timeout``."""


class MapTaskError(FlowgenError, RuntimeError):
    """Fewer items of a ``map_task`` succeeded than ``min_success_ratio`` requires."""


class ConditionalFailure(FlowgenError, ValueError):
    """The ``fail(...)`` branch of a ``conditional`` was taken."""


class WorkflowFailuresError(FlowgenError, RuntimeError):
    """Several nodes failed in a run that kept going after its first failure
    (``failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE``).

    ``errors`` holds each node's own error, in node order; the message lists them all. A run
    with one failure raises that failure itself, as a run that stops at once would.
    """

    errors: tuple[FlowgenError, ...] = ()
