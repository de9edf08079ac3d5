"""current_context(), secrets and checkpoints, as in Flyte.

    _FSEC_API_TOKEN=abc123 python examples/flyte/context_and_secrets.py
"""

from flowgen import Secret, current_context, task, workflow


@task(secret_requests=[Secret(group="api", key="token")])
def call_api(n: int) -> str:
    ctx = current_context()
    token = ctx.secrets.get("api", "token")  # from _FSEC_API_TOKEN or $FLYTE_SECRETS_DEFAULT_DIR/api/token
    return f"{ctx.execution_id.name}: called {n} times with a {len(token)}-character token"


@task(retries=3)
def resumable(steps: int) -> int:
    checkpoint = current_context().checkpoint
    done = int(checkpoint.read() or b"0") + 1  # what the previous attempt saved
    checkpoint.write(str(done).encode())
    if done < steps:
        raise RuntimeError(f"interrupted after step {done}")  # retried; the next attempt resumes
    return done


@workflow
def wf(n: int) -> str:
    resumable(steps=3)
    return call_api(n=n)


if __name__ == "__main__":
    print(wf(n=2))
