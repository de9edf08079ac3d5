import os
import typing

from flytekit import Secret, current_context, task, workflow

SECRET_GROUP = "api"
SECRET_KEY = "token"


@task
def whoami() -> str:
    ctx = current_context()
    ctx.logging.info("running %s", ctx.task_id.name)
    return "|".join([ctx.execution_id.name, ctx.execution_id.project, ctx.execution_id.domain, ctx.task_id.name])


@task
def scratch(text: str) -> str:
    path = os.path.join(current_context().working_directory, "note.txt")
    with open(path, "w") as f:
        f.write(text)
    with open(path) as f:
        return f.read().upper()


@task(retries=3)
def resumable(n: int) -> int:
    """Counts to n, one step per attempt, resuming from the checkpoint after each failure."""
    cp = current_context().checkpoint
    done = int(cp.read() or b"0")
    done += 1
    cp.write(str(done).encode())
    if done < n:
        raise RuntimeError(f"interrupted after {done}")
    return done


@task(secret_requests=[Secret(group=SECRET_GROUP, key=SECRET_KEY)])
def token_length() -> int:
    token = current_context().secrets.get(SECRET_GROUP, SECRET_KEY)
    return len(token)


@task(secret_requests=[Secret(group=SECRET_GROUP, key=SECRET_KEY, mount_requirement=Secret.MountType.FILE)])
def leaky(fail: bool) -> int:
    token = current_context().secrets.get(SECRET_GROUP, SECRET_KEY)
    if fail:
        raise ValueError(f"the server refused {token}")
    return 0


@workflow
def ids() -> typing.Tuple[str, str]:
    return whoami(), whoami()


@workflow
def scratch_wf(text: str) -> str:
    return scratch(text=text)


@workflow
def resume(n: int) -> int:
    return resumable(n=n)


@workflow
def token() -> int:
    return token_length()


@workflow
def leak(fail: bool) -> int:
    return leaky(fail=fail)


CASES = [
    ("scratch_wf", {"text": "hi"}, "HI"),
    ("resume", {"n": 3}, 3),
]
FAILS = [
    ("resume", {"n": 9}, "interrupted after 4"),  # 1 + 3 retries: the checkpoint counted every attempt
]
