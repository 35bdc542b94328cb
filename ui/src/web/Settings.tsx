/** After the setup: delete kubeadmin (confirmed), change the addresses or the domain, download the SSH key again. */
import {
  ActionGroup,
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  Form,
  FormGroup,
  Gallery,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useCallback, useState } from 'react';
import { type ClusterState, api } from './api.js';
import { AddressField, addressesValid, AUTOMATIC, CertificateFields, certificatesReady, type CertState, DomainField } from './fields.js';
import type { Plan } from './finish.js';
import { FinishProgress } from './FinishProgress.js';
import { domainProblems } from '../server/validate.js';

function KubeadminCard(props: { state: ClusterState; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.deleteKubeadmin();
      setOpen(false);
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <CardTitle component="h2">kubeadmin user</CardTitle>
      <CardBody>
        {props.state.kubeadmin ? (
          <>
            <Content component="p">Deleting the factory&apos;s kubeadmin user is recommended once your own user works. This cannot be undone.</Content>
            <Button variant="danger" onClick={() => { setTyped(''); setError(undefined); setOpen(true); }}>
              Delete kubeadmin
            </Button>
          </>
        ) : (
          <Content component="p">The kubeadmin user has been deleted.</Content>
        )}
        <Modal variant="small" isOpen={open} onClose={() => setOpen(false)} aria-labelledby="kubeadmin-modal-title" aria-describedby="kubeadmin-modal-body">
          <ModalHeader title="Delete kubeadmin?" titleIconVariant="warning" labelId="kubeadmin-modal-title" />
          <ModalBody id="kubeadmin-modal-body">
            <Content component="p">
              kubeadmin can no longer log in afterwards, and OpenShift cannot bring it back. Make sure you can log in with your own user first. You are logged in as{' '}
              <strong>{props.state.user}</strong>.
            </Content>
            <Form onSubmit={(e) => { e.preventDefault(); if (typed === 'kubeadmin') void remove(); }}>
              <FormGroup label="Type kubeadmin to confirm" fieldId="kubeadmin-confirm">
                <TextInput id="kubeadmin-confirm" value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" />
              </FormGroup>
            </Form>
            {error && (
              <Alert variant="danger" isInline title="kubeadmin was not deleted">
                {error}
              </Alert>
            )}
          </ModalBody>
          <ModalFooter>
            <Button variant="danger" isDisabled={typed !== 'kubeadmin' || busy} isLoading={busy} onClick={() => void remove()}>
              Delete
            </Button>
            <Button variant="link" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </ModalFooter>
        </Modal>
      </CardBody>
    </Card>
  );
}

function AddressesCard(props: { state: ClusterState; onChanged: () => void }) {
  const [v, setV] = useState({ api: props.state.addresses.api.configured ?? '', ingress: props.state.addresses.ingress.configured ?? '' });
  const [touched, setTouched] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const [saved, setSaved] = useState(false);
  const done = useCallback(() => {
    setPlan(undefined);
    setSaved(true);
    props.onChanged();
  }, [props]);
  return (
    <Card>
      <CardTitle component="h2">API and ingress addresses</CardTitle>
      <CardBody>
        {plan ? (
          <FinishProgress plan={plan} onDone={done} label="Address change progress" />
        ) : (
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              setSaved(false);
              if (!addressesValid(v, props.state.internalNetwork)) return setTouched(true);
              setPlan({ addresses: { api: v.api.trim(), ingress: v.ingress.trim() } });
            }}
          >
            <AddressField which="api" value={v.api} other={v.ingress} internalNetwork={props.state.internalNetwork} current={props.state.addresses.api.assigned} touched={touched} onChange={(api) => setV({ ...v, api })} />
            <AddressField which="ingress" value={v.ingress} other={v.api} internalNetwork={props.state.internalNetwork} current={props.state.addresses.ingress.assigned} touched={touched} onChange={(ingress) => setV({ ...v, ingress })} />
            {saved && <Alert variant="success" isInline title="The addresses are in place." />}
            <ActionGroup>
              <Button type="submit" variant="primary">
                Save addresses
              </Button>
            </ActionGroup>
          </Form>
        )}
      </CardBody>
    </Card>
  );
}

function DomainCard(props: { state: ClusterState; onChanged: () => void }) {
  const [domain, setDomain] = useState('');
  const [certs, setCerts] = useState<CertState>(AUTOMATIC);
  const [touched, setTouched] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const done = useCallback(
    (r: { redirect?: string }) => {
      if (r.redirect) window.location.assign(`${r.redirect}/`);
      else {
        setPlan(undefined);
        props.onChanged();
      }
    },
    [props],
  );
  return (
    <Card>
      <CardTitle component="h2">Domain</CardTitle>
      <CardBody>
        {plan ? (
          <FinishProgress plan={plan} onDone={done} label="Domain change progress" />
        ) : (
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              if (domainProblems(domain).length || !certificatesReady(certs)) return setTouched(true);
              setPlan({ domain: { domain, api: certs.api, ingress: certs.ingress } });
            }}
          >
            <Content component="p">
              Installed as {props.state.domain.installed}; served now as {props.state.domain.current}. Entering {props.state.domain.installed} goes back to the install domain.
            </Content>
            <DomainField value={domain} current={props.state.domain.current} touched={touched} optional={false} onChange={setDomain} />
            {domain && domain !== props.state.domain.installed && <CertificateFields domain={domain} value={certs} onChange={setCerts} />}
            <ActionGroup>
              <Button type="submit" variant="primary">
                Change domain
              </Button>
            </ActionGroup>
          </Form>
        )}
      </CardBody>
    </Card>
  );
}

export function Settings(props: { state: ClusterState; onChanged: () => void }) {
  return (
    <section aria-labelledby="settings-title">
      <Title headingLevel="h1" id="settings-title">
        Settings
      </Title>
      {props.state.setup && (
        <Content component="p">
          Setup completed {new Date(props.state.setup.completed).toLocaleString()} by {props.state.setup.user}.
        </Content>
      )}
      <Gallery hasGutter minWidths={{ default: '100%', lg: '460px' }}>
        <KubeadminCard state={props.state} onChanged={props.onChanged} />
        <AddressesCard state={props.state} onChanged={props.onChanged} />
        <DomainCard state={props.state} onChanged={props.onChanged} />
        <Card>
          <CardTitle component="h2">SSH key</CardTitle>
          <CardBody>
            {props.state.sshKey ? (
              <Button component="a" href="/api/ssh-key" download="id_rsa.key" variant="secondary">
                Download the private SSH key
              </Button>
            ) : (
              <Content component="p">This cluster has no SSH key pair (default/cluster-ssh-keypair).</Content>
            )}
          </CardBody>
        </Card>
      </Gallery>
    </section>
  );
}
