use jiesu_text::place::Gazetteer;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(40);
    let mut r = csv::Reader::from_path(path).unwrap();
    let g = Gazetteer::empty();
    for rec in r.records().take(n) {
        let rec = rec.unwrap();
        let m = g.extract(&rec[2]);
        println!(
            "{} | {} | {:?} {:?} {:?} {:?} {:?}",
            &rec[2],
            m.key(),
            m.district,
            m.street,
            m.community,
            m.estates,
            m.roads
        );
    }
}
