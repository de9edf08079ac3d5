from flowgen.data.files import FlyteFile as FlyteFile

__all__ = ["FlyteFile"]
