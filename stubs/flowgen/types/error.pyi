from dataclasses import dataclass

__all__ = ["FlyteError"]

@dataclass
class FlyteError:
    message: str
    failed_node_id: str
