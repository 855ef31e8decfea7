//! .pdf: the text layer, lines joined back into paragraphs.

use super::Block;
use crate::error::{Error, Result};

/// Read a PDF file's bytes.
pub fn read(_bytes: &[u8]) -> Result<Vec<Block>> {
    Err(Error::msg("暂不支持 .pdf"))
}
