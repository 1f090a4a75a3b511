# Alex places each webserver next to a caching task of another team.
# "Amazon ECS Task Placement", use case "Availability and Task Groups".
aws ecs run-task --task-definition cache \
--group caching --count 9 \
--placement-constraints type="distinctInstance"

aws ecs run-task --task-definition webserver \
--count 9 \
--placement-constraints type="distinctInstance" type="memberOf",expression="task:group == caching"
