using System.Text.Json;

namespace Nlps.Cli.Client;

/// <summary>One item of an operation's answer: the whole JSON body, or one server-sent event's data when <paramref name="Streamed"/>.</summary>
internal readonly record struct ReplyItem(JsonElement Data, bool Streamed);
