"""Points config: the redemption catalogue (with stock) and limits on admins' manual changes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CatalogueItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")  # what members type: /redeem sticker
    name: str  # 社群定制贴纸
    cost: int = Field(ge=1)
    stock: int | None = Field(default=None, ge=0)  # total available; unset = unlimited; raise to restock


class PointsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    items: list[CatalogueItem] = Field(default_factory=list)
    admin_max: int = Field(default=1000, ge=1)  # largest |N| one /points +N may change
    notify_admins_on_redeem: bool = True  # someone has to hand the item over

    @field_validator("items")
    @classmethod
    def _unique_ids(cls, items: list[CatalogueItem]) -> list[CatalogueItem]:
        ids = [item.id.lower() for item in items]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"item ids must be unique: {', '.join(duplicated)}")
        return items
