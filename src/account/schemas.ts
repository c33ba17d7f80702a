import { z } from 'zod';
import { PASSWORD_MAX, newPasswordSchema } from '../auth/passwords.ts';

export const changePasswordForm = z
  .object({
    current_password: z.string().min(1, 'validation.required').max(PASSWORD_MAX),
    new_password: newPasswordSchema(),
    confirm_password: z.string().max(PASSWORD_MAX).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (typeof v.new_password === 'string' && v.new_password !== v.confirm_password) {
      ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'validation.passwords_differ' });
    }
  });
