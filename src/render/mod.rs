//! Stage: render (see the developers guide).
