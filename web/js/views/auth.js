// auth.js - sign in and citizen sign-up.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { api } from '../api.js';
import { field, checkRequired, showApiError, showFieldError, submitting, successBox } from '../forms.js';
import { page, session, signedIn, homePath, navigate } from '../app.js';

export function login(ctx) {
  if (session.account) return navigate(homePath(session.account), { replace: true });
  const expired = sessionStorage.getItem('openpes.expired');
  sessionStorage.removeItem('openpes.expired');
  const form = h('form', { class: 'card form narrow', novalidate: true, 'aria-labelledby': 'login-h' },
    field({ name: 'username', label: t('login.username'), required: true, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }),
    field({ name: 'password', label: t('login.password'), type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('login.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        const body = await api('POST', '/auth/login', {
          username: form.username.value.trim(), password: form.password.value, mode: 'cookie',
        });
        signedIn(body);
      } catch (err) {
        form.password.value = '';
        showApiError(form, err);
      }
    });
  });
  const h1 = page(ctx, t('login.title'),
    expired ? h('div', { class: 'notice notice-info', role: 'status' }, h('p', {}, t('login.expired'))) : null,
    h('p', { class: 'lead' }, t('login.intro')),
    form,
    h('p', { class: 'aside' }, t('login.no_account'), ' ', h('a', { href: '/signup' }, t('login.signup_link'))));
  h1.id = 'login-h';
}

export function signup(ctx) {
  if (session.account) return navigate(homePath(session.account), { replace: true });
  const form = h('form', { class: 'card form narrow', novalidate: true, 'aria-labelledby': 'signup-h' },
    field({ name: 'kind', type: 'select', label: t('signup.kind'), value: 'citizen', placeholder: false,
      options: [{ value: 'citizen', label: t('signup.kind.citizen') }, { value: 'employer', label: t('signup.kind.employer') }] }),
    field({ name: 'display_name', label: t('signup.display_name'), required: true, autocomplete: 'name' }),
    field({ name: 'username', label: t('login.username'), hint: t('signup.username_hint'), required: true, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }),
    field({ name: 'password', label: t('login.password'), hint: t('signup.password_hint'), type: 'password', required: true, autocomplete: 'new-password' }),
    field({ name: 'password2', label: t('signup.password_again'), type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('signup.submit'))));
  form.password2.dataset.local = '1';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    if (form.password.value !== form.password2.value) {
      return showFieldError(form, 'password2', t('signup.mismatch'));
    }
    const username = form.username.value.trim();
    const password = form.password.value;
    await submitting(form, async () => {
      try {
        await api('POST', '/auth/signup', {
          username, password, display_name: form.display_name.value.trim(), locale: getLang(), kind: form.kind.value,
        });
      } catch (err) {
        return showApiError(form, err);
      }
      // Signed up: sign straight in.
      try {
        signedIn(await api('POST', '/auth/login', { username, password, mode: 'cookie' }));
      } catch {
        ctx.main.replaceChildren(ctx.main.querySelector('h1'), successBox(t('signup.done')),
          h('p', {}, h('a', { href: '/login' }, t('login.title'))));
      }
    });
  });
  const h1 = page(ctx, t('signup.title'), h('p', { class: 'lead' }, t('signup.intro')), form,
    h('p', { class: 'aside' }, t('signup.have_account'), ' ', h('a', { href: '/login' }, t('login.title'))));
  h1.id = 'signup-h';
}
