package io.stanee.endpoint;

import io.stanee.ra.InboundMessage;
import io.stanee.ra.NatsMessageListener;
import io.stanee.ra.OutboundMessage;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.List;
import java.util.function.Function;

/**
 * The endpoint the resource adapter feeds. Not transactional itself: the STAN core decides the whole batch
 * first and then has the store apply it in one transaction of its own, so the replies this returns are only
 * for committed work.
 */
@MessageDriven(messageListenerInterface = NatsMessageListener.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StanEndpoint implements NatsMessageListener {

    @EJB
    StanServerBean server;

    @Override
    public List<String> subjects() {
        return server.subjects();
    }

    @Override
    public List<OutboundMessage> onMessages(List<InboundMessage> batch) {
        return server.instance().handle(batch);
    }

    @Override
    public List<OutboundMessage> onTimer() {
        return server.instance().tick();
    }

    @Override
    public void connectionChanged(boolean connected, long reconnects) {
        server.instance().connectionChanged(connected, reconnects);
    }

    @Override
    public void natsMaxPayload(long maxPayload) {
        server.instance().requestLimits().natsMaxPayload(maxPayload);
    }

    @Override
    public Function<InboundMessage, OutboundMessage> overloadAnswers() {
        return server.instance()::overloadAnswer;
    }
}
