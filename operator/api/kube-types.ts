// Kubernetes object types the model builds, re-exported as types only: operator/model may not
// import @kubernetes/client-node itself (the lint rule keeps it free of I/O).
export type {
  V1ConfigMap,
  V1Container,
  V1ContainerStateTerminated,
  V1ContainerStatus,
  V1Deployment,
  V1EnvVar,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicySpec,
  V1OwnerReference,
  V1Pod,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1Probe,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
