# Ming-ya runs one monitoring task on each instance. The post uses a service
# (aws ecs create-service --service-name monitoring --task-definition monitor --desiredCount 500
#  --placement-constraints type="distinctInstance"); with run-task the same constraint places
# one task per instance, ten per call, and refuses a second copy on any instance.
aws ecs run-task --task-definition monitor --count 10 --placement-constraints type="distinctInstance"

aws ecs run-task --task-definition monitor --count 3 --placement-constraints type="distinctInstance"
