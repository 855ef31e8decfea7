//! Outline: text blocks → the numbered tree of a plan.
