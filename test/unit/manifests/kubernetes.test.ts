import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ZEnvironment, parseConfig } from '../../../src/config/env';
import { createApp } from '../../../src/slack/app';
import { FakeSlack } from '../../helpers/fakeSlack';
import { containersOf, readKustomization, readYamlDocuments, renderKustomization, type TK8sObject } from '../../helpers/kustomize';

// The manifests are checked offline, as CI has neither kubectl nor kubeconform: every object
// against the Kubernetes OpenAPI schema (the validators kubernetes-models ships, plus its
// TypeScript types for unknown fields, as kubeconform -strict would), then against the app
// itself: the paths it serves, the variables it reads, the shutdown it performs.

const ROOT = path.join(__dirname, '../../..');
const MANIFESTS = path.join(ROOT, 'manifests');
const BASE = path.join(MANIFESTS, 'base');
const OVERLAY = path.join(MANIFESTS, 'overlays/example');

type TValidatable = { validate(): void };
type TModelClass = new (data: unknown) => TValidatable;

/** kubernetes-models/apps/v1/Deployment for apps/v1 Deployment; the core group has no prefix. */
function modelModuleOf(object: TK8sObject): string {
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

function validateAgainstSchema(object: TK8sObject): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen by the object's kind
  const models = require(modelModuleOf(object)) as Record<string, TModelClass>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`No schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

/**
 * Fields the schema does not know (a misspelt readinesProbe passes the schema validators, which
 * allow extra properties): each object is type-checked as an object literal of its kubernetes-models
 * interface, where TypeScript rejects excess properties.
 */
function unknownFieldErrors(objects: TK8sObject[]): string[] {
  const file = path.join(MANIFESTS, '__manifests_typecheck__.ts');
  const source = objects
    .map((object, index) => {
      const variable = `${object.kind}_${object.metadata.name.replace(/[^A-Za-z0-9]/g, '_')}_${index}`;
      return `import type { I${object.kind} as T${index} } from '${modelModuleOf(object)}';\nexport const ${variable}: T${index} = ${JSON.stringify(object, null, 2)};\n`;
    })
    .join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const disk = ts.createCompilerHost(options);
  host.getSourceFile = (name, languageVersion, ...rest) => (name === file ? ts.createSourceFile(name, source, languageVersion) : disk.getSourceFile(name, languageVersion, ...rest));
  host.fileExists = (name) => name === file || disk.fileExists(name);
  host.readFile = (name) => (name === file ? source : disk.readFile(name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const line = where ? source.split('\n')[where.line]?.trim() : '';
    return `${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')} (at: ${line})`;
  });
}

function find<T = Record<string, unknown>>(objects: TK8sObject[], kind: string, name?: string): TK8sObject & T {
  const object = objects.find((candidate) => candidate.kind === kind && (name === undefined || candidate.metadata.name === name));
  if (!object) throw new Error(`no ${kind}${name ? `/${name}` : ''}`);
  return object as TK8sObject & T;
}

type TProbe = { httpGet?: { path: string; port: string | number } };
type TContainerSpec = {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: TProbe;
  livenessProbe?: TProbe;
  readinessProbe?: TProbe;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
};
type TPodSpec = {
  containers: TContainerSpec[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: Array<{ name: string; emptyDir?: object }>;
};
type TWorkload = { spec: { replicas?: number; selector?: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: TPodSpec } } };

const keysOf = (object: TK8sObject, field: 'data' | 'stringData') => Object.keys((object[field] as Record<string, string> | undefined) ?? {});

describe('Kubernetes manifests', () => {
  const base = renderKustomization(BASE);
  const overlay = renderKustomization(OVERLAY);
  const secretTemplate = readYamlDocuments(path.join(BASE, 'secret.template.yaml')) as TK8sObject[];

  describe.each([
    ['the base', base],
    ['the example overlay', overlay],
    ['the secret template', secretTemplate],
  ])('%s', (_name, objects) => {
    it('validates against the Kubernetes OpenAPI schemas', () => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        expect(() => validateAgainstSchema(object)).not.toThrow();
      }
    });

    it('has no fields Kubernetes does not know', () => {
      expect(unknownFieldErrors(objects)).toEqual([]);
    });
  });

  it('would catch a schema error and an unknown field (the checks above can fail)', () => {
    const deployment = structuredClone(find<TWorkload>(base, 'Deployment'));
    deployment.spec.template.spec.containers[0]!.ports = [{ containerPort: 'http' as unknown as number }];
    expect(() => validateAgainstSchema(deployment)).toThrow(/containerPort must be integer/);
    const misspelt = structuredClone(find<TWorkload>(base, 'Deployment'));
    Object.assign(misspelt.spec.template.spec.containers[0]!, { readinesProbe: {} });
    expect(unknownFieldErrors([misspelt]).join('\n')).toMatch(/readinesProbe/);
  });

  it('lists in each kustomization only files that exist, and every manifest file in one (but the secret template)', () => {
    const listed = new Set<string>();
    for (const directory of [BASE, OVERLAY]) {
      const kustomization = readKustomization(directory);
      for (const file of [...(kustomization.resources ?? []), ...(kustomization.patches ?? []).map((patch) => patch.path)]) {
        const target = path.join(directory, file);
        expect({ file: target, exists: existsSync(target) }).toEqual({ file: target, exists: true });
        listed.add(path.resolve(target));
      }
    }
    const yamlFiles = [BASE, OVERLAY].flatMap((directory) =>
      readdirSync(directory)
        .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml' && file !== 'secret.template.yaml')
        .map((file) => path.resolve(directory, file)),
    );
    expect(yamlFiles.filter((file) => !listed.has(file))).toEqual([]);
  });

  it('renders the overlay as kustomize does (checked where kubectl is installed)', () => {
    let rendered: string;
    try {
      rendered = execFileSync('kubectl', ['kustomize', OVERLAY], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
    } catch {
      // CI has no kubectl; the hand-rendered overlay was still validated above.
      return;
    }
    const byKindAndName = (a: TK8sObject, b: TK8sObject) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);
    const real = parseAllDocuments(rendered).map((document) => document.toJS() as TK8sObject);
    expect([...overlay].sort(byKindAndName)).toEqual(real.sort(byKindAndName));
  });

  describe('the Deployment', () => {
    const deployment = find<TWorkload>(overlay, 'Deployment', 'debrief');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;

    it('runs three replicas, never fewer during a rollout, spread over nodes and covered by a PDB and an HPA', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect((deployment.spec as { strategy?: { rollingUpdate?: { maxUnavailable?: number } } }).strategy?.rollingUpdate?.maxUnavailable).toBe(0);
      const hpa = find<{ spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { kind: string; name: string } } }>(overlay, 'HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.minReplicas).toBe(3);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(3);
      const pdb = find<{ spec: { selector: { matchLabels: Record<string, string> } } }>(overlay, 'PodDisruptionBudget');
      expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector!.matchLabels);
    });

    it('probes paths the app serves, on the port it listens on', async () => {
      const slack = await FakeSlack.start();
      const config = parseConfig({ ...configMapData(overlay), SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: slack.url });
      const port = container.ports?.find((candidate) => candidate.name === 'http')?.containerPort;
      expect(port).toBe(config.port);
      const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
      expect(probes.map((probe) => probe?.httpGet?.port)).toEqual(['http', 'http', 'http']);
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');

      const app = createApp({ config: { ...config, logLevel: 'error' }, isDatabaseReachable: async () => true });
      const server = (await app.start(0)) as Server;
      try {
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        for (const probe of probes) {
          const response = await fetch(`${baseUrl}${probe?.httpGet?.path}`);
          expect({ path: probe?.httpGet?.path, status: response.status }).toEqual({ path: probe?.httpGet?.path, status: 200 });
        }
        expect((await fetch(`${baseUrl}/no-such-probe`)).status).toBe(404);
      } finally {
        await app.stop();
        await slack.stop();
      }
    });

    it('reads its settings from the ConfigMap and the Secret, and knows every variable in them', () => {
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'debrief-config' } }, { secretRef: { name: 'debrief-secrets' } }]);
      const known = new Set(Object.keys(ZEnvironment.shape));
      const configKeys = keysOf(find(overlay, 'ConfigMap', 'debrief-config'), 'data');
      const secretKeys = keysOf(find(secretTemplate, 'Secret', 'debrief-secrets'), 'stringData');
      expect([...configKeys, ...secretKeys].filter((key) => !known.has(key))).toEqual([]);
      // A key in both would be decided by envFrom's order, silently.
      expect(configKeys.filter((key) => secretKeys.includes(key))).toEqual([]);
      expect(secretKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'ENCRYPTION_KEY']));
      expect(configKeys).toEqual(expect.arrayContaining(['RETRO_CHANNEL', 'NODE_ENV', 'SHUTDOWN_DRAIN_SECONDS']));
      // Credentials belong in the Secret, never in the ConfigMap.
      expect(configKeys.filter((key) => /SECRET|TOKEN|PASSWORD|_KEY|DATABASE_URL/.test(key))).toEqual([]);
    });

    it('is given longer to stop than the app takes to drain and shut down, and logs JSON on PostgreSQL', () => {
      const config = parseConfig({
        ...configMapData(overlay),
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
        DATABASE_URL: (find(secretTemplate, 'Secret').stringData as Record<string, string>).DATABASE_URL,
      });
      expect(config.shutdown.drainSeconds).toBeGreaterThan(0);
      // A few seconds of margin for the signal to arrive and the process to exit.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(config.shutdown.drainSeconds + config.shutdown.timeoutSeconds + 5);
      expect(config.logFormat).toBe('json');
      expect(config.database.kind).toBe('postgres');
    });

    it('runs as non-root on a read-only root filesystem, with a writable /tmp, and sets resource requests and limits', () => {
      for (const workload of [deployment, find<TWorkload>(overlay, 'Job')]) {
        const spec = workload.spec.template.spec;
        expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
        expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
        for (const each of spec.containers) {
          expect(each.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
          expect(Object.keys(each.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
          expect(Object.keys(each.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
          const tmp = each.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
          expect(spec.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
        }
      }
    });

    it('uses the image the Dockerfile builds, as the user it creates', () => {
      const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
      const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(finalStage).toMatch(new RegExp(`^USER ${pod.securityContext?.runAsUser}(:|$)`, 'm'));
      expect(finalStage).toMatch(new RegExp(`^EXPOSE ${container.ports?.[0]?.containerPort}$`, 'm'));
      expect(container.image).toBe('registry.example.com/sales-tools/debrief:0.1.0');
    });
  });

  it('routes only /slack/* and /webhooks/* through the Ingress, to the Service in front of the pods', () => {
    type TIngress = { spec: { rules: Array<{ host?: string; http: { paths: Array<{ path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }> } }> } };
    const ingress = find<TIngress>(overlay, 'Ingress');
    const service = find<{ spec: { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> } }>(overlay, 'Service');
    const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    expect(paths.map((entry) => `${entry.pathType} ${entry.path}`).sort()).toEqual(['Prefix /slack', 'Prefix /webhooks']);
    for (const entry of paths) {
      expect(entry.backend.service.name).toBe(service.metadata.name);
      expect(service.spec.ports.map((port) => port.name)).toContain(entry.backend.service.port.name);
    }
    const deployment = find<TWorkload>(overlay, 'Deployment');
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.template.spec.containers[0]!.ports?.map((port) => port.name)).toContain(service.spec.ports[0]!.targetPort);
  });

  it('migrates with npm run db:migrate:deploy, in the same image, before the rollout', () => {
    const job = find<TWorkload>(overlay, 'Job');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.command).toEqual(['npm', 'run', 'db:migrate:deploy']);
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['db:migrate:deploy']).toBeDefined();
    expect(container.image).toBe(containersOf(find(overlay, 'Deployment'))[0]?.image);
    expect(container.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'debrief-secrets', key: 'DATABASE_URL' });
    expect((job.spec.template.spec as { restartPolicy?: string }).restartPolicy).toBe('Never');
  });
});

function configMapData(objects: TK8sObject[]): Record<string, string> {
  return find(objects, 'ConfigMap', 'debrief-config').data as Record<string, string>;
}
