"""QR codes in photos: "扫码进群" ads are images, so the ad rules need the payloads as text.

Synchronous and CPU-bound: the adapter runs it in a thread with a time limit. Images are checked for
their pixel count before decoding, so a small file that inflates into a huge bitmap is refused.
"""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
MAX_PIXELS = 16_000_000  # a 4000 x 4000 image; Telegram's largest photo size is 2560 px on a side


def decode_qr(data: bytes, max_pixels: int = MAX_PIXELS) -> tuple[str, ...]:
    """The texts of the QR codes in an image (in reading order, without repeats)."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if width * height > max_pixels:
            raise ValueError(f"image too large to scan: {width}x{height}")
        image.load()
        rgb = image.convert("RGB")
    found = zxingcpp.read_barcodes(rgb, formats=_QR)
    texts: list[str] = []
    for barcode in found:
        text = str(barcode.text)
        if text and text not in texts:
            texts.append(text)
    return tuple(texts)
