/** The hub's `joined` reply to a join of `room`, as the room tests need it. */
export const joined = (room: string) => ({
  type: "joined" as const,
  room,
  topic: "",
  members: [],
  memberCount: 1,
  ts: 0,
});
