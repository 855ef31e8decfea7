//! Rendering: one document model → DOCX, PDF, XLSX.
//!
//! [`model`] is the contract; [`fonts`] finds the type of each role; [`linebreak`] fits text
//! into the GB/T 9704 grid; [`pdf`] and [`docx`] write the files.

pub mod fonts;
pub mod linebreak;
pub mod model;
