#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jiandu_fuzz::sheet(data));
