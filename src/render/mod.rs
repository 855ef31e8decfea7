//! Rendering: one document model → DOCX, PDF, XLSX.

pub mod model;
