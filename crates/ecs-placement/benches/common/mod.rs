//! What the benchmarks share: generated clusters, requests and a placement checksum.

#![allow(dead_code)] // each bench binary uses a part

pub mod c1m;
pub mod fresh_memory;
pub mod spread_binpack;
pub mod timing;

use ecs_placement::cql;
use ecs_placement::engine::{
    self, Constraint, Explain, Origin, PlacementRequest, Resource, SpreadField, StrategySource,
};
use ecs_placement::model::{ContainerInstance, InstanceStatus, Resources};
use ecs_placement::scenario::{ClusterInfo, Scenario};
use ecs_placement::taskdef::{NetworkMode, Reservation};
use std::collections::BTreeMap;

/// An ACTIVE instance of 4,096 CPU units and 15,576 MiB in zone `index % zones`, its ARN's ID
/// the index in hex (`{index:032x}`).
pub fn instance(index: usize, zones: usize, instance_type: &str) -> ContainerInstance {
    let zone = format!("us-east-1{}", char::from(b'a' + (index % zones) as u8));
    let attributes = BTreeMap::from([
        ("ecs.availability-zone".to_string(), Some(zone)),
        ("ecs.instance-type".to_string(), Some(instance_type.to_string())),
        ("ecs.os-type".to_string(), Some("linux".to_string())),
    ]);
    // Built from JSON so that fields added to the model later keep their scenario-file defaults.
    let mut instance: ContainerInstance =
        serde_json::from_value(serde_json::json!({ "containerInstanceArn": format!("{index:032x}") }))
            .expect("a minimal instance");
    instance.ec2_instance_id = format!("i-{index:017x}").into();
    instance.status = InstanceStatus::Active;
    instance.agent_version = "1.80.0".into();
    instance.registered_resources = Some(Resources::with_agent_ports(4_096, 15_576).into());
    instance.attributes = attributes.into();
    instance.task_eni_limit = Some(3);
    instance
}

/// A normalized cluster of `instances` empty instances over `zones` zones, their types from
/// `instance_type`.
pub fn cluster(instances: usize, zones: usize, instance_type: fn(usize) -> &'static str) -> Scenario {
    let mut scenario = Scenario::new(ClusterInfo::default());
    scenario.seed = Some(42);
    scenario.instances = (0..instances).map(|i| instance(i, zones, instance_type(i))).collect();
    scenario.normalized().expect("the benchmark cluster is valid")
}

/// A parsed `memberOf` constraint from the request.
pub fn member_of(expression: &str) -> Constraint {
    let expr = cql::parse(expression).expr.expect("the constraint parses");
    Constraint::MemberOf {
        expression: expression.to_string(),
        expr: expr.into(),
        origin: Origin::Request,
    }
}

/// `spread(attribute:ecs.availability-zone)`.
pub fn zone_spread() -> engine::Strategy {
    engine::Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into()))
}

/// `binpack(memory)`.
pub fn binpack_memory() -> engine::Strategy {
    engine::Strategy::Binpack(Resource::Memory)
}

/// A request for `count` tasks of `family:web` (10 CPU units, 32 MiB unless `reservation` says
/// otherwise), unexplained.
pub fn request(
    count: usize,
    strategies: Vec<engine::Strategy>,
    constraints: Vec<Constraint>,
    reservation: Reservation,
) -> PlacementRequest {
    PlacementRequest {
        reservation,
        network_mode: NetworkMode::Bridge,
        required_attributes: Vec::new(),
        constraints,
        strategies,
        strategy_source: StrategySource::Request,
        group: "family:web".into(),
        count,
        location: None,
        external: false,
        task_definition_arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1".into(),
        started_by: None,
        explain: Explain::Off,
    }
}

/// What a small benchmark task reserves: 10 CPU units and 32 MiB.
pub fn small_task() -> Reservation {
    Reservation {
        cpu: 10,
        memory: 32,
        ..Reservation::default()
    }
}

/// A checksum of a placement sequence (FNV-1a over the instance indexes, in order).
pub fn checksum(placements: &[engine::Placement]) -> u64 {
    checksum_of_indexes(placements.iter().map(|p| p.instance_index))
}

/// [`checksum`] of the instance indexes of a placement sequence, in order.
pub fn checksum_of_indexes(indexes: impl IntoIterator<Item = usize>) -> u64 {
    indexes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, index| {
        (hash ^ index as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// True under `cargo bench`; false when `cargo test --benches` / `--all-targets` runs a bench
/// binary as a smoke test (unoptimized), where only the smallest cases run.
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}
