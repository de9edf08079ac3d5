"""Launch plans: a workflow with inputs defaulted or fixed, run directly or as a node."""

from flowgen import LaunchPlan, task, workflow


@task
def greet(name: str, punctuation: str) -> str:
    return f"Hello, {name}{punctuation}"


@task
def shout(text: str) -> str:
    return text.upper()


@workflow
def greeting(name: str, punctuation: str = ".") -> str:
    return greet(name=name, punctuation=punctuation)


excited = LaunchPlan.get_or_create(greeting, name="excited", fixed_inputs={"punctuation": "!"})
for_world = LaunchPlan.create("for_world", greeting, default_inputs={"name": "world"})


@workflow
def loud_greeting(name: str) -> str:
    return shout(text=excited(name=name))  # a launch plan is a node too


RUNS = {"loud_greeting": [{"name": "Ada"}], "greeting": [{"name": "Bo"}]}

if __name__ == "__main__":
    print(excited(name="Ada"), for_world(), loud_greeting(name="Ada"))
