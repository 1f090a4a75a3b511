# "Amazon ECS and Docker volume drivers, part 1: Amazon EBS": MySQL on a REX-Ray EBS volume,
# pinned to the volume's Availability Zone by a memberOf constraint in the task definition.
# The task definition needs the rexray/ebs plugin (requiresAttributes
# ecs.capability.docker-plugin.rexray/ebs): plain-node lacks it (ATTRIBUTE), ebs-node-3 is in
# another zone (LOCATION / MemberOf).
aws ecs register-task-definition \
--cli-input-json 'file://mysql-taskdef.json'

# Step 4: the MySQL service, as the post's mysql-svcdef.json (its variables filled in): one
# copy, minimumHealthyPercent 0 and maximumPercent 100, so the scheduler never runs two.
aws ecs create-service \
--cli-input-json file://mysql-svcdef.json

# Step 6: drain the instance that runs MySQL. The post's drain-instance.sh finds it with
# list-tasks, describe-tasks and --query (JMESPath, which the playground does not run); with
# this scenario's seed the scheduler put MySQL on ebs-node-1.
aws ecs list-tasks --cluster rexray-demo --service-name mysql-svc

aws ecs update-container-instances-state --cluster rexray-demo \
--container-instances ebs-node-1 --status "DRAINING"

# The scheduler stopped the task on the draining instance and started a replacement on the
# only other instance with the plugin in the volume's zone: ebs-node-2.
aws ecs list-tasks --cluster rexray-demo --service-name mysql-svc

# Clean up: scale the service to 0, then delete it.
aws ecs update-service --cluster rexray-demo \
--service arn:aws:ecs:us-west-2:123456789012:service/rexray-demo/mysql-svc \
--desired-count 0
aws ecs delete-service --cluster rexray-demo \
--service arn:aws:ecs:us-west-2:123456789012:service/rexray-demo/mysql-svc
