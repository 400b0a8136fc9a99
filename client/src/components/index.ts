export { Alert, type AlertTone } from './Alert';
export { Badge, type BadgeTone } from './Badge';
export { Button, type ButtonVariant } from './Button';
export { Card } from './Card';
export { EmptyState } from './EmptyState';
export { Icon, type IconName } from './Icon';
export { APP_NAME, PageHeader, useDocumentTitle } from './PageHeader';
export { Spinner } from './Spinner';
export { TextField } from './TextField';
