namespace Nlps.Console;

/// <summary>One embedded console file, ready to send.</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">Its media type (text types with charset=utf-8).</param>
/// <param name="ETag">A strong validator: the quoted start of its SHA-256.</param>
public sealed record ConsoleAsset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
