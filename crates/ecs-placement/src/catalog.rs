//! A small catalog of common EC2 instance types: what an instance registers with ECS when a
//! scenario only names its type.
//!
//! CPU is vCPUs × 1024. Memory is what ECS typically registers: the OS-reported memory, a little
//! under the nominal size (an m4.large registers about 7985 MiB of 8192); imported
//! `describe-container-instances` output always has the exact figures. ENIs are the type's
//! network interface limit including the primary one, so an instance can attach `enis - 1` task
//! ENIs (awsvpc). With ENI trunking (`ecs.awsvpc-trunk-id` present) the task limit is AWS's
//! documented one for every type its trunking table lists ([`trunking_task_limits`]), whether
//! or not this catalog has the type.

mod trunking;

use crate::model::{Resources, saturating_units};
use serde::Serialize;

/// What an instance type registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceType {
    /// The type name (`m5.large`).
    pub name: &'static str,
    /// vCPUs.
    pub vcpus: u32,
    /// Nominal memory in MiB.
    pub memory_mib: u32,
    /// GPUs.
    pub gpus: u32,
    /// Network interfaces, including the primary one.
    pub enis: u32,
}

impl InstanceType {
    /// CPU units ECS registers (1 vCPU = 1024).
    pub fn registered_cpu(&self) -> i64 {
        i64::from(self.vcpus) * 1024
    }

    /// Memory ECS typically registers: the nominal size less about 2.5 % for the kernel and
    /// the agent (3 % below 2 GiB).
    pub fn registered_memory(&self) -> i64 {
        let total = i64::from(self.memory_mib);
        let reserved_per_mille = if total < 2048 { 30 } else { 25 };
        total - (total * reserved_per_mille + 999) / 1000
    }

    /// What an instance of this type registers: its CPU and memory, the agent's reserved ports,
    /// and its GPUs named after the instance ([`gpu_id`]).
    pub fn registered_resources(&self, instance_id: &str) -> Resources {
        Resources {
            gpus: (0..self.gpus).map(|index| gpu_id(instance_id, index)).collect(),
            ..Resources::with_agent_ports(
                saturating_units(self.registered_cpu()),
                saturating_units(self.registered_memory()),
            )
        }
    }

    /// Task ENIs the instance can attach: with `trunking`, AWS's trunked task limit when the
    /// type supports ENI trunking; otherwise its interfaces minus the primary one.
    pub fn task_enis(&self, trunking: bool) -> u32 {
        match trunking_task_limits(self.name) {
            Some(limits) if trunking => limits.trunked,
            _ => self.enis.saturating_sub(1),
        }
    }
}

/// How many awsvpc tasks an instance type runs without and with ENI trunking (AWS's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrunkingTaskLimits {
    /// Tasks without trunking: the type's network interfaces minus the primary one.
    pub untrunked: u32,
    /// Tasks with `awsvpcTrunking`: the increased ENI limit minus the primary and trunk ENIs.
    pub trunked: u32,
}

/// AWS's task limits of an instance type that supports ENI trunking; `None` for other types.
pub fn trunking_task_limits(name: &str) -> Option<TrunkingTaskLimits> {
    trunking::find(name).map(|(untrunked, trunked)| TrunkingTaskLimits { untrunked, trunked })
}

/// The task ENI limit of an instance of type `name`: trunked (when `trunking` and the type
/// supports it) or untrunked from AWS's trunking table, else from the catalog; `None` when
/// neither knows the type.
pub fn task_eni_limit(name: &str, trunking: bool) -> Option<u32> {
    match (lookup(name), trunking_task_limits(name)) {
        (_, Some(limits)) if trunking => Some(limits.trunked),
        (Some(known), _) => Some(known.task_enis(false)),
        (None, Some(limits)) => Some(limits.untrunked),
        (None, None) => None,
    }
}

const fn t(name: &'static str, vcpus: u32, memory_gib_x2: u32, gpus: u32, enis: u32) -> InstanceType {
    InstanceType {
        name,
        vcpus,
        memory_mib: memory_gib_x2 * 512,
        gpus,
        enis,
    }
}

/// The catalog (memory given in half-GiB steps to keep the table short).
pub const INSTANCE_TYPES: &[InstanceType] = &[
    t("t2.nano", 1, 1, 0, 2),
    t("t2.micro", 1, 2, 0, 2),
    t("t2.small", 1, 4, 0, 3),
    t("t2.medium", 2, 8, 0, 3),
    t("t2.large", 2, 16, 0, 3),
    t("t2.xlarge", 4, 32, 0, 3),
    t("t3.micro", 2, 2, 0, 2),
    t("t3.small", 2, 4, 0, 3),
    t("t3.medium", 2, 8, 0, 3),
    t("t3.large", 2, 16, 0, 3),
    t("t3.xlarge", 4, 32, 0, 4),
    t("m4.large", 2, 16, 0, 2),
    t("m5.large", 2, 16, 0, 3),
    t("m5.xlarge", 4, 32, 0, 4),
    t("m5.2xlarge", 8, 64, 0, 4),
    t("m5.4xlarge", 16, 128, 0, 8),
    t("c5.large", 2, 8, 0, 3),
    t("c5.xlarge", 4, 16, 0, 4),
    t("c5.2xlarge", 8, 32, 0, 4),
    t("r5.large", 2, 32, 0, 3),
    t("r5.xlarge", 4, 64, 0, 4),
    t("g2.2xlarge", 8, 30, 1, 4),
    t("g4dn.xlarge", 4, 32, 1, 3),
    t("g4dn.2xlarge", 8, 64, 1, 3),
    t("g4dn.12xlarge", 48, 384, 4, 8),
    t("p2.xlarge", 4, 122, 1, 4),
    t("p3.2xlarge", 8, 122, 1, 4),
    t("p3.8xlarge", 32, 488, 4, 8),
];

/// The ID the playground gives GPU `index` of an instance: `GPU-<container instance ID>-<index>`.
pub fn gpu_id(instance_id: &str, index: u32) -> String {
    format!("GPU-{instance_id}-{index}")
}

/// Looks an instance type up by name.
pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// Every instance type of the catalog, in catalog order (families, then sizes).
pub fn all() -> &'static [InstanceType] {
    INSTANCE_TYPES
}

/// Every instance type with the figures it registers, for user interfaces.
pub fn infos() -> Vec<InstanceTypeInfo> {
    INSTANCE_TYPES.iter().map(InstanceType::info).collect()
}

/// An instance type as a user interface shows it: nominal size and what ECS registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceTypeInfo {
    /// The type name (`m5.large`).
    pub name: &'static str,
    /// vCPUs.
    pub vcpus: u32,
    /// Nominal memory in MiB.
    pub memory_mib: u32,
    /// CPU units ECS registers ([`InstanceType::registered_cpu`]).
    pub cpu: i64,
    /// Memory in MiB ECS registers ([`InstanceType::registered_memory`]).
    pub memory: i64,
    /// GPUs.
    pub gpus: u32,
    /// Task ENIs (awsvpc) without ENI trunking ([`InstanceType::task_enis`]).
    pub task_enis: u32,
    /// The CPU architecture ECS reports in `ecs.cpu-architecture`.
    pub cpu_architecture: &'static str,
}

impl InstanceType {
    /// The type with its registered figures.
    pub fn info(&self) -> InstanceTypeInfo {
        InstanceTypeInfo {
            name: self.name,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            cpu: self.registered_cpu(),
            memory: self.registered_memory(),
            gpus: self.gpus,
            task_enis: self.task_enis(false),
            cpu_architecture: self.cpu_architecture(),
        }
    }

    /// `arm64` for AWS Graviton types (a family ending in `g` after its generation digit, such
    /// as `m6g` or `t4g`), else `x86_64`.
    pub fn cpu_architecture(&self) -> &'static str {
        cpu_architecture(self.name)
    }
}

/// The `ecs.cpu-architecture` of an instance type name: `arm64` for Graviton families
/// (`m6g.large`, `c7gn.xlarge`, `t4g.micro`), else `x86_64`.
pub fn cpu_architecture(name: &str) -> &'static str {
    let family = name.split('.').next().unwrap_or(name);
    let suffix = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let attributes = suffix.trim_start_matches(|c: char| c.is_ascii_digit());
    if attributes.starts_with('g') && attributes.len() < suffix.len() {
        "arm64"
    } else {
        "x86_64"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_figures() {
        let m4 = lookup("m4.large").unwrap();
        assert_eq!(m4.registered_cpu(), 2048);
        assert_eq!(m4.registered_memory(), 7987);
        assert_eq!(lookup("t2.micro").unwrap().registered_memory(), 993);
        let c5 = lookup("c5.large").unwrap();
        assert_eq!((c5.task_enis(false), c5.task_enis(true)), (2, 10));
        assert_eq!(lookup("g4dn.12xlarge").unwrap().gpus, 4);
    }

    /// Issue 11, divergence 2: AWS's "Elastic network interface trunking" table, for every type
    /// it lists. A trunked c5.large has "an increased ENI limit of twelve" (primary + trunk +
    /// ten task ENIs), "so this configuration allows you to launch ten tasks"; m5.xlarge 3 → 20.
    #[test]
    fn trunked_task_limits_follow_aws_table() {
        assert_eq!(task_eni_limit("c5.large", true), Some(10));
        assert_eq!(task_eni_limit("c5.large", false), Some(2));
        assert_eq!(task_eni_limit("m5.xlarge", true), Some(20));
        assert_eq!(task_eni_limit("m5.xlarge", false), Some(3));
        assert_eq!(task_eni_limit("m5.24xlarge", true), Some(120));
        assert_eq!(
            task_eni_limit("a1.medium", true),
            Some(10),
            "a type outside the catalog"
        );
        assert_eq!(task_eni_limit("a1.medium", false), Some(1));
        // Types that do not support trunking keep their untrunked limit.
        assert_eq!(task_eni_limit("t3.medium", true), Some(2));
        assert_eq!(task_eni_limit("g4dn.xlarge", true), Some(2));
        assert_eq!(
            task_eni_limit("i4i.large", true),
            None,
            "the page's typo row is left out"
        );
        assert_eq!(task_eni_limit("x9.unknown", true), None);
        assert_eq!(trunking::rows().count(), 434);
        assert_eq!(trunking::rows().next(), Some(("a1.medium".to_string(), 1, 10)));
        // The rows are the page's, as they were listed one a line before the table was packed by
        // family (`tests/fixtures/trunking_rows.txt`).
        let listed: String = trunking::rows()
            .map(|(name, untrunked, trunked)| format!("{name} {untrunked} {trunked}\n"))
            .collect();
        assert_eq!(listed, include_str!("../tests/fixtures/trunking_rows.txt"));
        let rows_written = trunking::TABLE.matches(", ").count() + trunking::TABLE.lines().count();
        assert_eq!(trunking::rows().count(), rows_written, "every row is read");
        for (name, untrunked, trunked) in trunking::rows() {
            assert_eq!(trunking::find(&name), Some((untrunked, trunked)), "{name}");
        }
        for name in [
            "",
            ".",
            "m5",
            "m5.",
            ".large",
            "m5 .large",
            "m5.large 2",
            "m5.large.x",
            "m5.larg",
        ] {
            assert_eq!(trunking::find(name), None, "{name:?}");
        }
    }

    /// The catalog's interface counts agree with the table's untrunked limits (both are the
    /// type's network interfaces minus the primary one).
    #[test]
    fn catalog_and_trunking_table_agree_without_trunking() {
        for instance_type in INSTANCE_TYPES {
            if let Some(limits) = trunking_task_limits(instance_type.name) {
                assert_eq!(
                    instance_type.task_enis(false),
                    limits.untrunked,
                    "{}",
                    instance_type.name
                );
            }
        }
        for (name, untrunked, trunked) in trunking::rows() {
            assert!(untrunked >= 1 && trunked >= 1, "{name}");
        }
        // As the table has it: a trunked u-6tb1.56xlarge runs 12 tasks, fewer than its 14.
        assert_eq!(task_eni_limit("u-6tb1.56xlarge", true), Some(12));
    }

    #[test]
    fn all_lists_the_catalog_with_registered_figures() {
        assert_eq!(all().len(), INSTANCE_TYPES.len());
        let infos = infos();
        let micro = infos.iter().find(|i| i.name == "t2.micro").unwrap();
        assert_eq!(
            serde_json::to_value(micro).unwrap(),
            serde_json::json!({"name": "t2.micro", "vcpus": 1, "memoryMib": 1024, "cpu": 1024, "memory": 993,
                "gpus": 0, "taskEnis": 1, "cpuArchitecture": "x86_64"})
        );
    }

    #[test]
    fn graviton_families_are_arm64() {
        for (name, architecture) in [
            ("m6g.large", "arm64"),
            ("c7gn.xlarge", "arm64"),
            ("t4g.micro", "arm64"),
            ("g4dn.xlarge", "x86_64"),
            ("g2.2xlarge", "x86_64"),
            ("m5.large", "x86_64"),
            ("c5.large", "x86_64"),
        ] {
            assert_eq!(cpu_architecture(name), architecture, "{name}");
        }
    }
}
