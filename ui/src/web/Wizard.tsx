/**
 * The first-time setup, as the product doc walks it: user name, password, API address, ingress address, optional
 * domain (+ certificates), SSH key download, Finish setup. Values (never the password) survive a reload.
 */
import {
  ActionGroup,
  Alert,
  Button,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { addressProblems, domainProblems, passwordProblems, usernameProblems } from '../server/validate.js';
import type { ClusterState } from './api.js';
import { AddressField, addressesValid, AUTOMATIC, CertificateFields, certificatesReady, type CertState, DomainField, Hint, Problems } from './fields.js';
import type { Plan } from './finish.js';
import { FinishProgress } from './FinishProgress.js';

type Step = 'welcome' | 'username' | 'password' | 'api' | 'ingress' | 'domain' | 'certificates' | 'sshkey' | 'review' | 'finish' | 'complete';

interface Values {
  username: string;
  skipUser: boolean;
  api: string;
  ingress: string;
  domain: string;
  certs: CertState;
}

const KEY = 'ztpfw-ui-wizard';

function load(state: ClusterState): Values {
  const fallback: Values = { username: '', skipUser: false, api: state.addresses.api.configured ?? '', ingress: state.addresses.ingress.configured ?? '', domain: '', certs: AUTOMATIC };
  try {
    return { ...fallback, ...JSON.parse(sessionStorage.getItem(KEY) ?? '{}') };
  } catch {
    return fallback;
  }
}

export function Wizard(props: { state: ClusterState; onComplete: () => void }) {
  const { state } = props;
  const [values, setValues] = useState<Values>(() => load(state));
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [step, setStep] = useState<Step>('welcome');
  const [touched, setTouched] = useState(false);
  const [result, setResult] = useState<{ redirect?: string }>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // keep the certificate keys out of storage: only the choice is remembered
    const { certs, ...rest } = values;
    sessionStorage.setItem(KEY, JSON.stringify({ ...rest, certs: certs.mode === 'automatic' ? AUTOMATIC : { mode: 'manual', api: { mode: 'generate' }, ingress: { mode: 'generate' } } }));
  }, [values]);
  useEffect(() => {
    setTouched(false);
    heading.current?.focus();
  }, [step]);

  const set = (patch: Partial<Values>) => setValues((v) => ({ ...v, ...patch }));
  const domainChanged = values.domain !== '' && values.domain !== state.domain.current;
  const order: Step[] = ['welcome', 'username', ...(values.skipUser ? [] : ['password' as const]), 'api', 'ingress', 'domain', ...(domainChanged ? ['certificates' as const] : []), 'sshkey', 'review'];
  const index = order.indexOf(step);

  const valid: Record<string, boolean> = {
    username: values.skipUser || !usernameProblems(values.username).length,
    password: !passwordProblems(password).length && password === confirm,
    // on the API step only the API field is judged (the ingress one comes next)
    api: !addressProblems({ api: values.api, ingress: values.ingress }, state.internalNetwork).api.length,
    ingress: addressesValid({ api: values.api, ingress: values.ingress }, state.internalNetwork),
    domain: values.domain === '' || !domainProblems(values.domain).length,
    certificates: certificatesReady(values.certs),
  };
  const next = () => {
    if (valid[step] === false) {
      setTouched(true);
      return;
    }
    setStep(step === 'review' ? 'finish' : order[index + 1]);
  };
  const back = () => setStep(order[Math.max(0, index - 1)]);

  const plan: Plan = useMemo(
    () => ({
      user: values.skipUser ? undefined : { username: values.username, password },
      addresses: { api: values.api.trim(), ingress: values.ingress.trim() },
      domain: domainChanged ? { domain: values.domain, api: values.certs.api, ingress: values.certs.ingress } : undefined,
      record: true,
    }),
    // the plan is fixed once Finish setup is pressed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [step === 'finish'],
  );
  const done = useCallback((r: { redirect?: string }) => {
    sessionStorage.removeItem(KEY);
    setResult(r);
    setStep('complete');
  }, []);

  useEffect(() => {
    if (step === 'complete' && result?.redirect) {
      const t = setTimeout(() => window.location.assign(`${result.redirect}/`), 5000);
      return () => clearTimeout(t);
    }
    return undefined;
  }, [step, result]);

  const title: Record<Step, string> = {
    welcome: 'Welcome to the edge cluster setup',
    username: 'Create your user: user name',
    password: 'Create your user: password',
    api: 'API address',
    ingress: 'Ingress address',
    domain: 'Domain (optional)',
    certificates: 'Certificates for the new domain',
    sshkey: 'Download your private SSH key',
    review: 'Review and finish',
    finish: 'Applying the setup',
    complete: result?.redirect ? 'Setup complete! Moving to the new domain' : 'Setup complete!',
  };

  const nav = (nextLabel = 'Next') => (
    <ActionGroup>
      <Button variant="primary" onClick={next} type="submit">
        {nextLabel}
      </Button>
      {index > 0 && (
        <Button variant="secondary" onClick={back}>
          Back
        </Button>
      )}
    </ActionGroup>
  );
  const form = (children: React.ReactNode, nextLabel?: string) => (
    <Form
      onSubmit={(e) => {
        e.preventDefault();
        next();
      }}
    >
      {children}
      {nav(nextLabel)}
    </Form>
  );

  return (
    <section aria-labelledby="wizard-title" className="ztpfw-step">
      {index >= 0 && (
        <Content component="p" id="wizard-position">
          Step {index + 1} of {order.length}
        </Content>
      )}
      <Title headingLevel="h1" id="wizard-title" ref={heading} tabIndex={-1}>
        {title[step]}
      </Title>
      {step === 'welcome' && (
        <>
          <Content component="p">
            Logged in as <strong>{state.user}</strong>. In the next screens you create your own cluster administrator, set the addresses the cluster is reached
            on at this site, optionally give it a new domain, and download the SSH key of the nodes. Nothing is changed before you press Finish setup.
          </Content>
          <ActionGroup>
            <Button variant="primary" onClick={next} autoFocus>
              Continue
            </Button>
          </ActionGroup>
        </>
      )}
      {step === 'username' &&
        form(
          <>
            {state.users.length > 0 && (
              <Alert variant="info" isInline title={`Users already created here: ${state.users.join(', ')}`}>
                Create another one, or{' '}
                <Button variant="link" isInline onClick={() => { set({ skipUser: true }); setStep('api'); }}>
                  keep the existing users
                </Button>
                .
              </Alert>
            )}
            <FormGroup label="Username" isRequired fieldId="username">
              <TextInput id="username" value={values.username} onChange={(_e, v) => set({ username: v, skipUser: false })} validated={touched && !valid.username ? 'error' : 'default'} aria-describedby="username-hint username-problems" autoComplete="username" />
              <Hint id="username-hint">Your user is granted cluster-admin; use it instead of kubeadmin. It logs in through the {`"ztpfw-htpasswd-idp"`} identity provider.</Hint>
              <Problems id="username-problems" problems={touched ? usernameProblems(values.username) : []} />
            </FormGroup>
          </>,
        )}
      {step === 'password' &&
        form(
          <>
            <FormGroup label="Password" isRequired fieldId="password">
              <TextInput id="password" type="password" value={password} onChange={(_e, v) => setPassword(v)} validated={touched && passwordProblems(password).length ? 'error' : 'default'} aria-describedby="password-hint password-problems" autoComplete="new-password" />
              <Hint id="password-hint">At least 8 characters, with a letter and a digit.</Hint>
              <Problems id="password-problems" problems={touched ? passwordProblems(password) : []} />
            </FormGroup>
            <FormGroup label="Confirm password" isRequired fieldId="password-confirm">
              <TextInput id="password-confirm" type="password" value={confirm} onChange={(_e, v) => setConfirm(v)} validated={touched && password !== confirm ? 'error' : 'default'} aria-describedby="password-confirm-problems" autoComplete="new-password" />
              <Problems id="password-confirm-problems" problems={touched && password !== confirm ? ['The passwords do not match.'] : []} />
            </FormGroup>
          </>,
        )}
      {step === 'api' &&
        form(<AddressField which="api" value={values.api} other={values.ingress} internalNetwork={state.internalNetwork} current={state.addresses.api.configured} touched={touched} onChange={(v) => set({ api: v })} />)}
      {step === 'ingress' &&
        form(<AddressField which="ingress" value={values.ingress} other={values.api} internalNetwork={state.internalNetwork} current={state.addresses.ingress.configured} touched={touched} onChange={(v) => set({ ingress: v })} />)}
      {step === 'domain' && form(<DomainField value={values.domain} current={state.domain.current} touched={touched} optional onChange={(v) => set({ domain: v })} />)}
      {step === 'certificates' && form(<CertificateFields domain={values.domain} value={values.certs} onChange={(certs) => set({ certs })} />)}
      {step === 'sshkey' &&
        form(
          <>
            <Content component="p">You need this key to log in to the nodes of the cluster (user core). Keep it safe; it is not shown again by this page.</Content>
            {state.sshKey ? (
              <Button component="a" href="/api/ssh-key" download="id_rsa.key" variant="secondary">
                Download
              </Button>
            ) : (
              <Alert variant="warning" isInline title="This cluster has no SSH key pair">
                The factory did not leave default/cluster-ssh-keypair on the cluster; ask the vendor for the key.
              </Alert>
            )}
          </>,
        )}
      {step === 'review' &&
        form(
          <DescriptionList isHorizontal aria-label="What Finish setup applies">
            <DescriptionListGroup>
              <DescriptionListTerm>User</DescriptionListTerm>
              <DescriptionListDescription>{values.skipUser ? `keep ${state.users.join(', ')}` : `${values.username} (cluster-admin)`}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>API address</DescriptionListTerm>
              <DescriptionListDescription>{values.api}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Ingress address</DescriptionListTerm>
              <DescriptionListDescription>{values.ingress}</DescriptionListDescription>
            </DescriptionListGroup>
            <DescriptionListGroup>
              <DescriptionListTerm>Domain</DescriptionListTerm>
              <DescriptionListDescription>{domainChanged ? `${values.domain} (certificates: ${values.certs.mode === 'automatic' ? 'automatic' : 'manual'})` : `${state.domain.current} (unchanged)`}</DescriptionListDescription>
            </DescriptionListGroup>
          </DescriptionList>,
          'Finish setup',
        )}
      {step === 'finish' && <FinishProgress plan={plan} onDone={done} label="Setup progress" />}
      {step === 'complete' && (
        <>
          {result?.redirect ? (
            <Content component="p">
              The cluster now also answers under its new domain. You are taken to <a href={`${result.redirect}/`}>{result.redirect}</a> in a few seconds, where you log in again.
            </Content>
          ) : (
            <Content component="p">The cluster is configured. Log in to the web console with your new user through the ztpfw-htpasswd-idp identity provider.</Content>
          )}
          <ActionGroup>
            <Button variant="primary" onClick={props.onComplete}>
              Go to settings
            </Button>
          </ActionGroup>
        </>
      )}
    </section>
  );
}

