//! Emits the conformance case table from the operation IR (see issue 5; not built yet).
