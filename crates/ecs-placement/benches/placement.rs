//! Benchmark of the placement funnel (`engine::place`): one call placing 1,000 or 100,000 small
//! tasks (10 CPU units, 32 MiB) on 1,000 or 10,000 instances, with the chain
//! `spread(attribute:ecs.availability-zone)` then `binpack(memory)` and the constraint
//! `memberOf(attribute:ecs.instance-type =~ m5.*)` (90% of the instances are m5, the rest t3).
//!
//! The request is built directly: the AWS-level limit of 10 tasks per RunTask does not apply to
//! the engine. Each scenario is built once per case and cloned outside the timed section.
//! Every case fits: 1,000 instances hold about 400 tasks each at most (CPU), 900 m5 of them
//! take 100,000 tasks.
//!
//! Run with `cargo bench -p ecs-placement --bench placement` (about 13 minutes on 2 cores, most
//! of it the 100,000 x 10,000 case at about 50 s per call). `cargo test --benches` runs only the
//! smallest case, once, as a smoke test.

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ecs_placement::cql;
use ecs_placement::engine::{
    self, Constraint, Explain, Origin, PlacementRequest, Resource, SpreadField, StrategySource,
};
use ecs_placement::model::{ContainerInstance, InstanceStatus, Resources};
use ecs_placement::scenario::{ClusterInfo, Scenario};
use ecs_placement::taskdef::{NetworkMode, Reservation};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

/// Instances per cluster.
const CLUSTERS: [usize; 2] = [1_000, 10_000];

/// Tasks per call.
const COUNTS: [usize; 2] = [1_000, 100_000];

/// The memberOf constraint: keeps the m5 instances.
const EXPRESSION: &str = "attribute:ecs.instance-type =~ m5.*";

/// Every tenth instance is a t3, which the constraint rejects.
fn instance_type(index: usize) -> &'static str {
    if index % 10 == 9 { "t3.large" } else { "m5.xlarge" }
}

/// Zones: 3 for the small cluster, 6 for the large one.
fn zone_count(instances: usize) -> usize {
    if instances >= 10_000 { 6 } else { 3 }
}

fn instance(index: usize, zones: usize) -> ContainerInstance {
    let zone = format!("us-east-1{}", char::from(b'a' + (index % zones) as u8));
    let attributes = BTreeMap::from([
        ("ecs.availability-zone".to_string(), Some(zone)),
        ("ecs.instance-type".to_string(), Some(instance_type(index).to_string())),
        ("ecs.os-type".to_string(), Some("linux".to_string())),
    ]);
    // Built from JSON so that fields added to the model later keep their scenario-file defaults.
    let mut instance: ContainerInstance =
        serde_json::from_value(serde_json::json!({ "containerInstanceArn": format!("{index:032x}") }))
            .expect("a minimal instance");
    instance.ec2_instance_id = format!("i-{index:017x}");
    instance.status = InstanceStatus::Active;
    instance.agent_version = "1.80.0".into();
    instance.registered_resources = Some(Resources::with_agent_ports(4_096, 15_576));
    instance.attributes = attributes;
    instance.task_eni_limit = Some(3);
    instance
}

/// A normalized cluster of `instances` empty instances.
fn cluster(instances: usize) -> Scenario {
    let zones = zone_count(instances);
    let mut scenario = Scenario::new(ClusterInfo::default());
    scenario.seed = Some(42);
    scenario.instances = (0..instances).map(|i| instance(i, zones)).collect();
    scenario.normalized().expect("the benchmark cluster is valid")
}

fn request(count: usize) -> PlacementRequest {
    let expr = cql::parse(EXPRESSION).expr.expect("the constraint parses");
    PlacementRequest {
        reservation: Reservation {
            cpu: 10,
            memory: 32,
            ..Reservation::default()
        },
        network_mode: NetworkMode::Bridge,
        required_attributes: Vec::new(),
        constraints: vec![Constraint::MemberOf {
            expression: EXPRESSION.to_string(),
            expr: expr.into(),
            origin: Origin::Request,
        }],
        strategies: vec![
            engine::Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
            engine::Strategy::Binpack(Resource::Memory),
        ],
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

/// Checks once, outside the measurements, that every task of the case fits.
fn assert_all_placed(scenario: &Scenario, request: &PlacementRequest) {
    let mut copy = scenario.clone();
    let outcome = engine::place(&mut copy, request);
    assert_eq!(
        outcome.placements.len(),
        request.count,
        "failures: {:?}",
        outcome.failures.first()
    );
}

/// True under `cargo bench`; false when `cargo test --benches` / `--all-targets` runs the bench
/// binary as a smoke test (unoptimized), where only the smallest case runs.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("place");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    let smallest_only = !measuring();
    for instances in CLUSTERS {
        let scenario = cluster(instances);
        for count in COUNTS {
            if smallest_only && (instances, count) != (CLUSTERS[0], COUNTS[0]) {
                continue;
            }
            let request = request(count);
            assert_all_placed(&scenario, &request);
            group.throughput(Throughput::Elements(count as u64));
            group.measurement_time(Duration::from_secs(if count >= 100_000 { 20 } else { 5 }));
            let id = BenchmarkId::new(format!("{count} tasks"), format!("{instances} instances"));
            group.bench_with_input(id, &request, |b, request| {
                b.iter_batched(
                    || scenario.clone(),
                    |mut scenario| {
                        let outcome = engine::place(&mut scenario, black_box(request));
                        (scenario, outcome)
                    },
                    BatchSize::LargeInput,
                );
            });
        }
    }
    group.finish();
}

criterion_group!(benches, placement);
criterion_main!(benches);
