# Aditya keeps a GPU workload on GPU instances with a service. The post writes the constraint
# with globs:
#   attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*
# CQL reads `=~` as a regular expression matched against the whole value, so `g2*` matches g,
# g2, g22, ... but not g2.2xlarge: no instance qualifies, and the service's events say so.
# The post writes --desiredCount (the API's member name); the playground reads it as
# --desired-count, with a warning.
aws ecs create-service --service-name workload \
--task-definition GPU --desiredCount 30 \
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*"

# What the post meant: g2.* and p2.*. The two GPU instances (one GPU each) take one task each;
# the other 28 wait for GPUs.
aws ecs update-service --service workload \
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2.* or attribute:ecs.instance-type =~ p2.*"
