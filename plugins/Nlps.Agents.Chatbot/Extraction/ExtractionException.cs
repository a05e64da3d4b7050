namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>A document could not be read; the message says why in words an administrator can act on.</summary>
internal sealed class ExtractionException(string message, Exception? inner = null) : Exception(message, inner);
