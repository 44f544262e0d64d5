import { i18nReady } from './i18n';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { QueryProvider } from './lib/query';
import { preventReactAriaStyleInjection } from './lib/react-aria-csp';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

preventReactAriaStyleInjection();
await i18nReady;
createRoot(container).render(
  <StrictMode>
    <QueryProvider>
      <App />
    </QueryProvider>
  </StrictMode>,
);
