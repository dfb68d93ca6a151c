//! Thumbnails (缩略图) of uploaded images, made once at upload and kept beside the file.

use std::io::Cursor;

use image::ImageReader;
use image::codecs::jpeg::JpegEncoder;

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// A JPEG thumbnail of an image; `None` when the bytes do not decode as an image (a file
/// with an image's signature and broken content). CPU-heavy: call off the async executor.
pub fn thumbnail(content: &[u8]) -> Option<Vec<u8>> {
    let mut reader = ImageReader::new(Cursor::new(content))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE).to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .ok()?;
    Some(out)
}
