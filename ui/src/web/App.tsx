/** The page: login gate, masthead with Settings and Log out, then the wizard (until the setup is recorded) or Settings. */
import {
  Alert,
  Button,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  Page,
  PageSection,
  Spinner,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
  Content,
} from '@patternfly/react-core';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type ClusterState } from './api.js';
import { Settings } from './Settings.js';
import { Wizard } from './Wizard.js';

type View = { kind: 'loading' } | { kind: 'login'; error?: string } | { kind: 'error'; message: string } | { kind: 'ready'; state: ClusterState };

export function App() {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [page, setPage] = useState<'setup' | 'settings'>('setup');

  const refresh = useCallback(async () => {
    try {
      const state = await api.state();
      setView({ kind: 'ready', state });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        const loginError = new URLSearchParams(window.location.search).get('loginError') ?? undefined;
        setView({ kind: 'login', error: loginError });
      } else setView({ kind: 'error', message: (e as Error).message });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      sessionStorage.clear();
      window.location.assign('/');
    }
  };

  const ready = view.kind === 'ready' ? view.state : undefined;
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <Title headingLevel="h2" size="lg" className="ztpfw-brand">
            Edge cluster setup
          </Title>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            {ready && (
              <ToolbarGroup align={{ default: 'alignEnd' }}>
                {ready.setup && (
                  <ToolbarItem>
                    <Button variant="link" onClick={() => setPage('settings')} aria-current={page === 'settings' ? 'page' : undefined}>
                      Settings
                    </Button>
                  </ToolbarItem>
                )}
                <ToolbarItem>
                  <Content component="p" className="ztpfw-user">
                    {ready.user}
                  </Content>
                </ToolbarItem>
                <ToolbarItem>
                  <Button variant="secondary" onClick={() => void logout()}>
                    Log out
                  </Button>
                </ToolbarItem>
              </ToolbarGroup>
            )}
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );

  let body: React.ReactNode;
  if (view.kind === 'loading') body = <Spinner aria-label="Loading" />;
  else if (view.kind === 'login')
    body = (
      <section aria-labelledby="login-title">
        <Title headingLevel="h1" id="login-title">
          Welcome to the edge cluster setup
        </Title>
        <Content component="p">Log in with the kubeadmin user and password your vendor supplied.</Content>
        {view.error && (
          <Alert variant="danger" isInline title="Login failed">
            {view.error}
          </Alert>
        )}
        <Button component="a" href="/login" variant="primary">
          Log in
        </Button>
      </section>
    );
  else if (view.kind === 'error')
    body = (
      <Alert variant="danger" title="The setup service cannot read the cluster" actionLinks={<Button variant="link" onClick={() => void refresh()}>Try again</Button>}>
        {view.message}
      </Alert>
    );
  else if (!view.state.setup && page === 'setup')
    body = <Wizard state={view.state} onComplete={() => { setPage('settings'); void refresh(); }} />;
  else body = <Settings state={view.state} onChanged={() => void refresh()} />;

  return (
    <Page masthead={masthead} isContentFilled>
      <PageSection aria-label="Edge cluster setup" isWidthLimited>
        {body}
      </PageSection>
    </Page>
  );
}
