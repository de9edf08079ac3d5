"""Flyte's module paths for its data types, so ``from flytekit.types.file import FlyteFile``
becomes ``from flowgen.types.file import FlyteFile`` with only the package renamed."""
