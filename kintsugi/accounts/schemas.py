"""The API's response shapes for places (locations, and the shape categories share) and touchpoints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PlaceOut(BaseModel):
    code: str
    name: str


class TouchpointOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name: str
    kind: str
    is_active: bool
    location: PlaceOut
    public_url: str = Field(description="The public complaint form of the touchpoint, which its QR code opens.")
    qr_png_url: str = Field(description="The QR code as PNG; `?scale=1..40` pixels per module.")
    qr_svg_url: str = Field(description="The QR code as SVG; `?scale=1..40` units per module.")


class TouchpointList(BaseModel):
    items: list[TouchpointOut]
