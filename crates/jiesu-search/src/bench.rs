pub struct SearchBenchReport; pub fn bench_search() {}
