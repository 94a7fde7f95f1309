// The profiles' queries and the switch: every query key that depends on the profile is
// dropped on a switch, so every screen follows the new one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AppError } from "../../bindings/AppError";
import type { AppStatus } from "../../bindings/AppStatus";
import type { CallerIdentity } from "../../bindings/CallerIdentity";
import type { ProfileListing } from "../../bindings/ProfileListing";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { toAppError } from "../../ipc";

/** The profiles; `enabled` false only reads what is cached (asks nothing). */
export function useProfileListing(enabled = true) {
  const backend = useBackend();
  return useQuery<ProfileListing, AppError>({
    queryKey: queryKeys.profiles,
    queryFn: () => backend.profilesList().catch((e) => Promise.reject(toAppError(e))),
    retry: false,
    enabled,
  });
}

/**
 * The account behind `profile` (GetCallerIdentity), cached per profile until it is
 * tested again or edited. `enabled` false leaves it unasked.
 */
export function useIdentity(profile: string | undefined, enabled = true) {
  const backend = useBackend();
  return useQuery<CallerIdentity, AppError>({
    queryKey: queryKeys.identity(profile ?? ""),
    queryFn: () => backend.profileTest({ name: profile! }).catch((e) => Promise.reject(toAppError(e))),
    enabled: enabled && profile !== undefined,
    staleTime: Infinity,
    retry: false,
  });
}

/** Switches the current profile, then refetches everything that depends on it. */
export function useSwitchProfile() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<string, AppError, string>({
    mutationFn: (name) => backend.profileSelect({ name }).catch((e) => Promise.reject(toAppError(e))),
    onSuccess: async (current) => {
      const status = client.getQueryData<AppStatus>(queryKeys.appStatus);
      if (status) client.setQueryData<AppStatus>(queryKeys.appStatus, { ...status, profile: current });
      // Identities are per profile and stay cached; everything else follows the switch.
      await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.identity("")[0] });
    },
  });
}
