# Aditya keeps a GPU workload on GPU instances. The post writes the constraint with globs:
#   attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*
# CQL reads `=~` as a regular expression matched against the whole value, so
# `g2*` matches g, g2, g22, ... but not g2.2xlarge: no instance qualifies.
# (The post uses create-service --desiredCount 30; run-task shows the same constraint.)
aws ecs run-task --task-definition GPU --count 2 \
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*"

# What the post meant: g2.* and p2.*
aws ecs run-task --task-definition GPU --count 2 \
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2.* or attribute:ecs.instance-type =~ p2.*"
