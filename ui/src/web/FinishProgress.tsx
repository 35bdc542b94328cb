/** Runs a plan and shows each step's progress; on failure the error and a Retry (every step is idempotent). */
import { Alert, AlertActionLink, ProgressStep, ProgressStepper, Spinner } from '@patternfly/react-core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Plan, runPlan, STEP_TITLES, type StepId, type StepStatus, stepsOf } from './finish.js';
import { timing } from './timing.js';

const VARIANT: Record<StepStatus, 'pending' | 'info' | 'success' | 'danger' | 'default'> = {
  pending: 'pending',
  running: 'info',
  done: 'success',
  failed: 'danger',
  skipped: 'default',
};

export function FinishProgress(props: { plan: Plan; onDone: (r: { redirect?: string }) => void; label: string }) {
  const steps = stepsOf(props.plan);
  const [status, setStatus] = useState<Record<string, { s: StepStatus; detail?: string }>>({});
  const [error, setError] = useState<{ step: StepId; message: string } | undefined>();
  const [attempt, setAttempt] = useState(0);
  // announced to screen readers as the run goes (the stepper itself is not a live region)
  const [announce, setAnnounce] = useState('');
  const started = useRef(-1);
  const { onDone, plan } = props;

  const run = useCallback(async () => {
    setError(undefined);
    setStatus({});
    try {
      const r = await runPlan(plan, (step, s, detail) => {
        setStatus((prev) => ({ ...prev, [step]: { s, detail } }));
        if (s !== 'running' || !detail) setAnnounce(`${STEP_TITLES[step]}: ${s === 'done' ? 'done' : s === 'failed' ? 'failed' : 'in progress'}`);
        if (s === 'failed') setError({ step, message: detail ?? 'failed' });
      }, timing());
      onDone(r);
    } catch {
      // the failed step and its message are already in the state
    }
  }, [plan, onDone]);

  useEffect(() => {
    if (started.current === attempt) return;
    started.current = attempt;
    void run();
  }, [attempt, run]);

  return (
    <>
      <p role="status" aria-live="polite" className="pf-v6-screen-reader">
        {announce}
      </p>
      <ProgressStepper isVertical aria-label={props.label}>
        {steps.map((id) => {
          const st = status[id]?.s ?? 'pending';
          return (
            <ProgressStep
              key={id}
              id={`step-${id}`}
              titleId={`step-${id}-title`}
              variant={VARIANT[st]}
              isCurrent={st === 'running'}
              aria-label={`${STEP_TITLES[id]}: ${st}`}
              description={
                st === 'running' ? (
                  <span>
                    <Spinner size="sm" aria-label="in progress" /> {status[id]?.detail ?? 'in progress'}
                  </span>
                ) : st === 'done' ? (
                  'done'
                ) : st === 'failed' ? (
                  'failed'
                ) : undefined
              }
            >
              {STEP_TITLES[id]}
            </ProgressStep>
          );
        })}
      </ProgressStepper>
      {error && (
        <Alert
          variant="danger"
          isInline
          title={`${STEP_TITLES[error.step]} failed`}
          actionLinks={<AlertActionLink onClick={() => setAttempt((a) => a + 1)}>Retry</AlertActionLink>}
        >
          {error.message} Steps before this one are applied; retrying runs them again without changing what is already in place.
        </Alert>
      )}
    </>
  );
}
