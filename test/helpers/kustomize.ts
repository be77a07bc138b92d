import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Just enough of kustomize to render manifests/ without the kustomize binary, which CI lacks:
 * resources (files and folders), namespace, labels, images and strategic-merge patches. A
 * kustomization using anything else fails loudly here rather than being rendered wrongly; where
 * kubectl is installed, test/unit/manifests/kubernetes.test.ts checks this renders what it does.
 */

export type TK8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

type TKustomization = {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  labels?: Array<{ pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path: string }>;
};

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

/** Every YAML document of a file, skipping empty ones (a trailing ---). */
export function readYamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  return documents
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

export function readKustomization(directory: string): TKustomization {
  const [kustomization] = readYamlDocuments(path.join(directory, 'kustomization.yaml')) as [TKustomization];
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${directory}/kustomization.yaml uses ${unsupported.join(', ')}, which test/helpers/kustomize.ts does not render`);
  for (const label of kustomization.labels ?? []) {
    if (label.includeSelectors || label.includeTemplates) throw new Error('labels with includeSelectors or includeTemplates are not rendered here');
  }
  return kustomization;
}

/** The objects `kustomize build directory` would print. */
export function renderKustomization(directory: string): TK8sObject[] {
  const kustomization = readKustomization(directory);
  let objects: TK8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.join(directory, resource);
    objects.push(...(statSync(target).isDirectory() ? renderKustomization(target) : (readYamlDocuments(target) as TK8sObject[])));
  }
  for (const patchRef of kustomization.patches ?? []) {
    for (const patch of readYamlDocuments(path.join(directory, patchRef.path)) as TK8sObject[]) {
      const index = objects.findIndex((object) => object.kind === patch.kind && object.metadata.name === patch.metadata.name);
      if (index < 0) throw new Error(`${patchRef.path} patches ${patch.kind}/${patch.metadata.name}, which no resource defines`);
      objects[index] = strategicMerge(objects[index], patch) as TK8sObject;
    }
  }
  for (const label of kustomization.labels ?? []) {
    objects = objects.map((object) => ({ ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...label.pairs } } }));
  }
  if (kustomization.namespace) {
    const namespace = kustomization.namespace;
    objects = objects.map((object) => (CLUSTER_SCOPED_KINDS.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace } }));
  }
  for (const image of kustomization.images ?? []) {
    for (const container of objects.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name === image.name) container.image = `${image.newName ?? name}${(image.newTag ?? tag) ? `:${image.newTag ?? tag}` : ''}`;
    }
  }
  return objects;
}

type TContainer = { name: string; image: string };

/** The containers of a workload's pod template (Deployment, Job, ...), as live references. */
export function containersOf(object: TK8sObject): TContainer[] {
  const spec = (object.spec as { template?: { spec?: { containers?: TContainer[]; initContainers?: TContainer[] } } } | undefined)?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function splitImage(image: string): [string, string | undefined] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Kubernetes' strategic merge, for what the manifests use: maps merge key by key, lists of named
 * items (containers, env, volumes, ports) merge by name, other lists are replaced.
 */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in base ? strategicMerge(base[key], value) : value;
    }
    return merged;
  }
  const isNamedList = (list: unknown): list is Array<{ name: string }> =>
    Array.isArray(list) && list.length > 0 && list.every((item) => isPlainObject(item) && typeof item.name === 'string');
  if (isNamedList(base) && isNamedList(patch)) {
    const merged = base.map((item) => {
      const patchItem = patch.find((candidate) => candidate.name === item.name);
      return patchItem ? strategicMerge(item, patchItem) : item;
    });
    return [...merged, ...patch.filter((item) => !base.some((candidate) => candidate.name === item.name))];
  }
  return patch;
}
