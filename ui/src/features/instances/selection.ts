// The instances chosen in the picker, kept per profile in the query cache (never fetched,
// never collected), so the selection survives leaving the screen and the next slice's
// snapshot dialog reads it with `useInstanceSelection(profile)`.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { queryKeys } from "../../app/queryKeys";

const NONE: readonly string[] = [];

/** The selection and a setter that takes the ids or a change of the latest ids (so two quick clicks both count). */
export function useInstanceSelection(
  profile: string | undefined,
): [readonly string[], (next: readonly string[] | ((current: readonly string[]) => readonly string[])) => void] {
  const client = useQueryClient();
  const key = queryKeys.fleetSelection(profile ?? "");
  const { data } = useQuery<readonly string[]>({
    queryKey: key,
    queryFn: () => client.getQueryData<readonly string[]>(key) ?? NONE,
    enabled: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const set = useCallback(
    (next: readonly string[] | ((current: readonly string[]) => readonly string[])) => {
      const key = queryKeys.fleetSelection(profile ?? "");
      const ids = typeof next === "function" ? next(client.getQueryData<readonly string[]>(key) ?? NONE) : next;
      client.setQueryData(key, [...ids]);
    },
    [client, profile],
  );
  return [data ?? NONE, set];
}
