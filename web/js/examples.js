// Example expressions from the Amazon ECS documentation (cluster query language page) and the
// blog post about glob-vs-regex mistakes.

export const EXAMPLES = [
  { expression: 'attribute:ecs.instance-type =~ t2.*', title: 'Instances of the t2 family (a regular expression)' },
  { expression: 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', title: 'Instances in either of two Availability Zones' },
  { expression: 'attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', title: 'G2 instances outside us-east-1d' },
  { expression: 'not(task:group == database)', title: 'Instances that run no task of the group "database" (anti-affinity)' },
  { expression: 'task:group == service:production', title: 'Instances that run a task of the service "production" (affinity)' },
  { expression: 'runningTasksCount == 1', title: 'Instances with exactly one running task' },
  { expression: 'agentVersion < 1.14.5', title: 'Instances whose ECS agent is older than 1.14.5' },
  { expression: 'registeredAt < 2018-02-13', title: 'Instances registered before 13 February 2018' },
  { expression: "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", title: 'Two instances by EC2 instance ID' },
  { expression: 'attribute:ecs.instance-type =~ g2*', title: 'A common mistake: `g2*` is a regular expression, not a glob' },
];
