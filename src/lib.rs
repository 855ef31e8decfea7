//! jiandu (监督): turning discipline-inspection work plans into task checklists and
//! filling the standard instruments.
//!
//! The crate is a pipeline over plain data, one stage per module:
//! [`intake`] (bytes → text blocks) → [`outline`] (blocks → numbered tree) →
//! [`extract`] (tree → tasks with slots) → [`model`] → [`instrument`] → [`render`] → [`cli`].

pub mod cli;
pub mod date;
pub mod error;
pub mod extract;
pub mod instrument;
pub mod intake;
pub mod model;
pub mod outline;
pub mod render;
pub mod serve;
pub mod text;

pub use error::{Error, Result};
