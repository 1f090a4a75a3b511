//! AWS's "Elastic network interface trunking" table ("Supported Amazon EC2 instance types" of
//! the ECS Developer Guide page `container-instance-eni`, as last published in the
//! awsdocs/amazon-ecs-developer-guide repository, 2023-04-18): for each instance type that
//! supports ENI trunking, how many awsvpc tasks it runs without and with `awsvpcTrunking`.
//!
//! The table counts tasks, not interfaces: "For the elastic network interface (ENI) limits on
//! each instance type, add one to the current task limit, as the primary network interface
//! counts against the limit, and add two to the new task limit, as both the primary network
//! interface and the trunk network instance count again[st] the limit." The page's prose agrees:
//! a trunked c5.large "has an increased ENI limit of twelve" — the primary interface, the trunk
//! interface and ten task ENIs — "so this configuration allows you to launch ten tasks" (the
//! table's 2 → 10). The playground's task ENI limit of a trunked instance is therefore the
//! table's "with ENI trunking" figure (decision recorded in `docs/semantics.md`).
//!
//! The page's note also lists families as "not supported" (`m5n`, `m5zn`, ...) that its table
//! lists with figures; the table is followed, since it is the more specific of the two.
//!
//! The table is followed as it is where it looks odd: three `u-*` types have a trunked limit
//! (12) below their untrunked one (14).
//!
//! The page gives `i4i.large` a trunked limit of "-2", a typo; that row is left out (an
//! i4i.large keeps its untrunked limit), and the other 434 rows are here, generated from the
//! page's Markdown table in the page's order.

/// The table: one family a line, the family's name and then its rows separated by `, `, each
/// `size untrunked trunked` (the task limits without and with ENI trunking): the line
/// `m5 large 2 10, xlarge 3 20` holds the rows of `m5.large` and `m5.xlarge`. Read by [`find`]
/// and [`rows`]. One string rather than an array of tuples: the WebAssembly module stores text
/// in fewer bytes than a pointer, a length and two numbers a row; and a family's name once, not
/// on each of its rows, because gzip compresses the rows of alike families (`m5`, `m5a`,
/// `m5d`, ...) into little when they are the same text.
pub(super) const TABLE: &str = concat!(
    // General purpose
    "a1 medium 1 10, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60\n",
    "m5 large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "m5a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "m5ad large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "m5d large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120, metal 14 120\n",
    "m5n large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120\n",
    "m5zn large 2 14, xlarge 3 31, 2xlarge 3 64, 3xlarge 7 98, 6xlarge 7 120\n",
    "m6a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, 48xlarge 14 120, metal 14 120\n",
    "m6g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "m6gd medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "m6i large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "m6id large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "m6idn large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 13 120, metal 13 120\n",
    "m6in large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 13 120, metal 13 120\n",
    "m7g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "mac2 metal 7 12\n",
    // Compute optimized
    "c5 large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 9xlarge 7 60, 12xlarge 7 60, ",
    "18xlarge 14 120, 24xlarge 14 120\n",
    "c5a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "c5ad large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 12xlarge 7 60, 16xlarge 14 120, ",
    "24xlarge 14 120\n",
    "c5d large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 9xlarge 7 60, 12xlarge 7 60, ",
    "18xlarge 14 120, 24xlarge 14 120\n",
    "c6a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, 48xlarge 14 120, metal 14 120\n",
    "c6g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "c6gd medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "c6gn medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120\n",
    "c6i large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "c6id large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "c6in large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 13 120, metal 13 120\n",
    "c7g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "hpc6a 48xlarge 1 120\n",
    // Memory optimized
    "hpc6id 32xlarge 1 120\n",
    "r5 large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 12xlarge 7 60, 16xlarge 14 120, ",
    "24xlarge 14 120\n",
    "r5a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "r5ad large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "r5b 16xlarge 14 120\n",
    "r5d large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 12xlarge 7 60, ",
    "16xlarge 14 120, 24xlarge 14 120\n",
    "r5dn 16xlarge 14 120\n",
    "r6a large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, 48xlarge 14 120, metal 14 120\n",
    "r6g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "r6gd medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "r6i large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "r6idn large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 13 120, metal 13 120\n",
    "r6in large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 13 120, metal 13 120\n",
    "r6id large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 90, 12xlarge 7 120, ",
    "16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "r7g medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "u-3tb1 56xlarge 7 12\n",
    "u-6tb1 56xlarge 14 12\n",
    "u-18tb1 metal 14 12\n",
    "u-24tb1 metal 14 12\n",
    "x2gd medium 1 10, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, ",
    "12xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "x2idn 16xlarge 14 120, 24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "x2iedn xlarge 3 13, 2xlarge 3 29, 4xlarge 7 60, 8xlarge 7 120, 16xlarge 14 120, ",
    "24xlarge 14 120, 32xlarge 14 120, metal 14 120\n",
    "x2iezn 2xlarge 3 64, 4xlarge 7 120, 6xlarge 7 120, 8xlarge 7 120, 12xlarge 14 120, ",
    "metal 14 120\n",
    // Storage optimized
    "i4i xlarge 3 8, 2xlarge 3 28, 4xlarge 7 58, 8xlarge 7 118, 16xlarge 14 248, ",
    "32xlarge 14 498, metal 14 498\n",
    "im4gn large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 16xlarge 14 120\n",
    "is4gen medium 1 4, large 2 10, xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60\n",
    // Accelerated computing
    "dl1 24xlarge 59 120\n",
    "g4ad xlarge 1 12, 2xlarge 1 12, 4xlarge 2 12, 8xlarge 3 12, 16xlarge 7 12\n",
    "g5 xlarge 3 6, 2xlarge 3 19, 4xlarge 7 40, 8xlarge 7 90, 12xlarge 14 120, 16xlarge 7 120, ",
    "24xlarge 14 120, 48xlarge 6 120\n",
    "g5g xlarge 3 20, 2xlarge 3 40, 4xlarge 7 60, 8xlarge 7 60, 16xlarge 14 120, metal 14 120\n",
    "inf2 xlarge 3 20, 8xlarge 7 90, 24xlarge 14 120, 48xlarge 14 120\n",
    "p3 2xlarge 3 40, 8xlarge 7 60, 16xlarge 7 120\n",
    "p4d 24xlarge 59 120\n",
    "p4de 24xlarge 59 120\n",
    "trn1 2xlarge 3 19, 32xlarge 39 120\n",
    "trn1n 32xlarge 79 242\n",
    "vt1 3xlarge 3 40, 6xlarge 7 60, 24xlarge 14 120\n",
);

/// The task limits (without, with ENI trunking) of the row of instance type `name`.
pub(super) fn find(name: &str) -> Option<(u32, u32)> {
    let (family, size) = name.split_once('.')?;
    if family.contains(' ') {
        return None;
    }
    let sizes = TABLE
        .lines()
        .find_map(|line| line.strip_prefix(family)?.strip_prefix(' '))?;
    sizes.split(", ").find_map(|row| {
        let limits = row.strip_prefix(size)?.strip_prefix(' ')?;
        let (untrunked, trunked) = limits.split_once(' ')?;
        Some((untrunked.parse().ok()?, trunked.parse().ok()?))
    })
}

/// The table's rows in its order: (instance type, task limit without ENI trunking, task limit
/// with ENI trunking).
#[cfg(test)]
pub(super) fn rows() -> impl Iterator<Item = (String, u32, u32)> {
    TABLE.lines().flat_map(|line| {
        let (family, sizes) = line.split_once(' ').unwrap_or((line, ""));
        sizes.split(", ").filter_map(move |row| {
            let mut fields = row.split(' ');
            let size = fields.next()?;
            let untrunked = fields.next()?.parse().ok()?;
            let trunked = fields.next()?.parse().ok()?;
            Some((format!("{family}.{size}"), untrunked, trunked))
        })
    })
}
