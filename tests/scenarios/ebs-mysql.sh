# "Amazon ECS and Docker volume drivers, part 1: Amazon EBS": MySQL on a REX-Ray EBS volume,
# pinned to the volume's Availability Zone by a memberOf constraint in the task definition.
# The task definition needs the rexray/ebs plugin (requiresAttributes
# ecs.capability.docker-plugin.rexray/ebs): plain-node lacks it (ATTRIBUTE), ebs-node-3 is in
# another zone (LOCATION / MemberOf).
aws ecs register-task-definition \
--cli-input-json 'file://mysql-taskdef.json'

# The post runs one copy as a service (desired count 1); run-task stands in for it here.
# With this scenario's seed the copy lands on ebs-node-1.
aws ecs run-task --cluster rexray-demo --task-definition mysql \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0ebs2a00],securityGroups=[sg-0mysql00],assignPublicIp=DISABLED}"

# Step 6 drains the instance running MySQL; the replacement must go to the other instance
# in the same zone that has the plugin.
aws ecs update-container-instances-state --cluster rexray-demo \
--container-instances ebs-node-1 --status "DRAINING"

aws ecs run-task --cluster rexray-demo --task-definition mysql \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0ebs2a00],securityGroups=[sg-0mysql00],assignPublicIp=DISABLED}"
