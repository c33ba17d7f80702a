import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/passwords.ts';

export const changePasswordForm = z
  .object({
    current_password: z.string().min(1, 'validation.required').max(PASSWORD_MAX),
    new_password: z.string().min(1, 'validation.required').min(PASSWORD_MIN).max(PASSWORD_MAX),
    confirm_password: z.string().max(PASSWORD_MAX).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (typeof v.new_password === 'string' && v.new_password !== v.confirm_password) {
      ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'validation.passwords_differ' });
    }
  });
