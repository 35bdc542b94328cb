/** Form fields shared by the wizard and Settings, with the backend's own validation for immediate feedback. */
import {
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Radio,
  TextArea,
  TextInput,
} from '@patternfly/react-core';
import type { CertificateChoice } from '../server/steps/domain.js';
import { addressProblems, domainProblems } from '../server/validate.js';

export function Problems({ id, problems }: { id: string; problems: readonly string[] }) {
  if (!problems.length) return null;
  return (
    <FormHelperText>
      <HelperText id={id} isLiveRegion>
        {problems.map((p) => (
          <HelperTextItem key={p} variant="error">
            {p}
          </HelperTextItem>
        ))}
      </HelperText>
    </FormHelperText>
  );
}

export function Hint({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <FormHelperText>
      <HelperText id={id}>
        <HelperTextItem>{children}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}

/** One address field: IPv4, outside the internal network, different from the other one. */
export function AddressField(props: {
  which: 'api' | 'ingress';
  value: string;
  other: string;
  internalNetwork: string;
  current?: string;
  touched: boolean;
  onChange: (v: string) => void;
}) {
  const id = `${props.which}-address`;
  const input = props.which === 'api' ? { api: props.value, ingress: props.other } : { api: props.other, ingress: props.value };
  const all = addressProblems(input, props.internalNetwork)[props.which];
  const problems = props.touched ? all : [];
  return (
    <FormGroup label={props.which === 'api' ? 'API address' : 'Ingress address'} isRequired fieldId={id}>
      <TextInput
        id={id}
        value={props.value}
        onChange={(_e, v) => props.onChange(v)}
        validated={problems.length ? 'error' : 'default'}
        aria-describedby={`${id}-hint ${id}-problems`}
        placeholder="e.g. 10.0.0.10"
        inputMode="decimal"
        autoComplete="off"
      />
      <Hint id={`${id}-hint`}>
        {props.which === 'api'
          ? 'The address clients reach the cluster API on (api.<domain>), on the network of the site.'
          : 'The address for routes and the traffic of the ingress controller (*.apps.<domain>).'}{' '}
        Outside the internal network {props.internalNetwork}.{props.current ? ` Now: ${props.current}.` : ''}
      </Hint>
      <Problems id={`${id}-problems`} problems={problems} />
    </FormGroup>
  );
}

export const addressesValid = (a: { api: string; ingress: string }, net: string) => {
  const p = addressProblems(a, net);
  return !p.api.length && !p.ingress.length;
};

export function DomainField(props: { value: string; current: string; touched: boolean; optional: boolean; onChange: (v: string) => void }) {
  const problems = props.touched && (props.value || !props.optional) ? domainProblems(props.value) : [];
  return (
    <FormGroup label="Domain" isRequired={!props.optional} fieldId="domain">
      <TextInput
        id="domain"
        value={props.value}
        onChange={(_e, v) => props.onChange(v.trim())}
        validated={problems.length ? 'error' : 'default'}
        aria-describedby="domain-hint domain-problems"
        placeholder="e.g. edge.example.com"
        autoComplete="off"
      />
      <Hint id="domain-hint">
        The cluster is then also served as api.&lt;domain&gt; and *.apps.&lt;domain&gt;. Now: {props.current}. Both the new and the old names must
        resolve in DNS.{props.optional ? ' Leave empty to keep the current domain.' : ''}
      </Hint>
      <Problems id="domain-problems" problems={problems} />
    </FormGroup>
  );
}

export type CertMode = 'automatic' | 'manual';

export interface CertState {
  mode: CertMode;
  api: CertificateChoice;
  ingress: CertificateChoice;
}

export const AUTOMATIC: CertState = { mode: 'automatic', api: { mode: 'generate' }, ingress: { mode: 'generate' } };

function CertificateChoiceField(props: { which: 'api' | 'ingress'; domain: string; value: CertificateChoice; onChange: (c: CertificateChoice) => void }) {
  const name = props.which === 'api' ? 'API' : 'Ingress';
  const hosts = props.which === 'api' ? `api.${props.domain}` : `*.apps.${props.domain}`;
  const upload = props.value.mode === 'upload' ? props.value : undefined;
  const readFile = (file: File | undefined, field: 'cert' | 'key') => {
    if (!file || !upload) return;
    void file.text().then((t) => props.onChange({ ...upload, [field]: t }));
  };
  return (
    <FormGroup role="radiogroup" isInline fieldId={`${props.which}-cert`} label={`${name} certificate (${hosts})`}>
      <Radio id={`${props.which}-cert-generate`} name={`${props.which}-cert`} label="Generate" isChecked={props.value.mode === 'generate'} onChange={() => props.onChange({ mode: 'generate' })} />
      <Radio
        id={`${props.which}-cert-upload`}
        name={`${props.which}-cert`}
        label="Upload"
        isChecked={props.value.mode === 'upload'}
        onChange={() => props.onChange({ mode: 'upload', cert: '', key: '' })}
      />
      {upload && (
        <>
          <FormGroup label={`${name} certificate chain (PEM)`} fieldId={`${props.which}-cert-pem`}>
            <TextArea id={`${props.which}-cert-pem`} value={upload.cert} onChange={(_e, v) => props.onChange({ ...upload, cert: v })} resizeOrientation="vertical" aria-describedby={`${props.which}-cert-pem-hint`} />
            <Hint id={`${props.which}-cert-pem-hint`}>
              Paste, or <input aria-label={`${name} certificate file`} type="file" accept=".pem,.crt,.cer" onChange={(e) => readFile(e.target.files?.[0], 'cert')} />
            </Hint>
          </FormGroup>
          <FormGroup label={`${name} private key (PEM)`} fieldId={`${props.which}-key-pem`}>
            <TextArea id={`${props.which}-key-pem`} value={upload.key} onChange={(_e, v) => props.onChange({ ...upload, key: v })} resizeOrientation="vertical" aria-describedby={`${props.which}-key-pem-hint`} />
            <Hint id={`${props.which}-key-pem-hint`}>
              Paste, or <input aria-label={`${name} private key file`} type="file" accept=".pem,.key" onChange={(e) => readFile(e.target.files?.[0], 'key')} />
            </Hint>
          </FormGroup>
        </>
      )}
    </FormGroup>
  );
}

export function CertificateFields(props: { domain: string; value: CertState; onChange: (c: CertState) => void }) {
  const v = props.value;
  return (
    <>
      <FormGroup role="radiogroup" fieldId="cert-mode" label="Certificates for the new domain">
        <Radio
          id="cert-automatic"
          name="cert-mode"
          label="Automatic"
          description="All certificates are generated (signed by a CA made for this domain) and assigned."
          isChecked={v.mode === 'automatic'}
          onChange={() => props.onChange(AUTOMATIC)}
        />
        <Radio
          id="cert-manual"
          name="cert-mode"
          label="Manual"
          description="Upload or generate each certificate."
          isChecked={v.mode === 'manual'}
          onChange={() => props.onChange({ ...v, mode: 'manual' })}
        />
      </FormGroup>
      {v.mode === 'manual' && (
        <>
          <CertificateChoiceField which="api" domain={props.domain} value={v.api} onChange={(api) => props.onChange({ ...v, api })} />
          <CertificateChoiceField which="ingress" domain={props.domain} value={v.ingress} onChange={(ingress) => props.onChange({ ...v, ingress })} />
        </>
      )}
    </>
  );
}

export const certificatesReady = (c: CertState) =>
  c.mode === 'automatic' || [c.api, c.ingress].every((x) => x.mode === 'generate' || (x.cert.includes('BEGIN CERTIFICATE') && x.key.includes('PRIVATE KEY')));
