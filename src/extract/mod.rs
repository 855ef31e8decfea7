//! Extraction: outline items → tasks with slots.
