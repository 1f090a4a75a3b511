# Ming-ya runs a monitoring container on each instance with a service of a high desired count
# and a distinctInstance constraint: the scheduler places one task on each instance, up to the
# desired count. "Amazon ECS Task Placement", use case "Availability".
# The post writes --desiredCount (the API's member name); the playground reads it as
# --desired-count, with a warning. With 12 instances, 12 monitors run; the service's events say
# that no instance can take a 13th (DistinctInstance placement constraint unsatisfied).
aws ecs create-service --service-name monitoring \
--task-definition monitor \
--desiredCount 500 \
--placement-constraints type="distinctInstance"

aws ecs list-tasks --service-name monitoring
