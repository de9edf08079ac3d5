from flowgen.data.files import FlyteDirectory as FlyteDirectory

__all__ = ["FlyteDirectory"]
