"""Types crossing node boundaries: dataclasses, pydantic models, enums, Optional, dicts, dates."""

import datetime
import enum
from dataclasses import dataclass
from typing import Optional

from pydantic import BaseModel

from flowgen import task, workflow


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Order:
    item: str
    quantity: int
    color: Color
    note: Optional[str] = None


class Invoice(BaseModel):
    lines: dict[str, float]
    due: datetime.date


@task
def price(order: Order, unit_prices: dict[str, float]) -> float:
    return unit_prices[order.item] * order.quantity


@task
def invoice(order: Order, amount: float, issued: datetime.date) -> Invoice:
    return Invoice(lines={order.item: amount}, due=issued + datetime.timedelta(days=30))


@task
def describe(inv: Invoice, color: Color, note: Optional[str]) -> str:
    total = sum(inv.lines.values())
    return f"{color.value} order, total {total:.2f}, due {inv.due.isoformat()}" + (f" ({note})" if note else "")


@workflow
def bill(order: Order, unit_prices: dict[str, float], issued: datetime.date) -> str:
    amount = price(order=order, unit_prices=unit_prices)
    inv = invoice(order=order, amount=amount, issued=issued)
    return describe(inv=inv, color=order.color, note=order.note)  # attribute access on Promises


RUNS = {
    "bill": [
        {
            "order": Order(item="pen", quantity=3, color=Color.RED, note="gift"),
            "unit_prices": {"pen": 1.5},
            "issued": datetime.date(2026, 1, 1),
        }
    ]
}

if __name__ == "__main__":
    print(bill(order=Order("pen", 3, Color.GREEN), unit_prices={"pen": 1.5}, issued=datetime.date(2026, 1, 1)))
